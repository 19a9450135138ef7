// EngineKind+Availability: whether an engine can run on this machine, for tests that skip.
import IOCore

extension EngineKind {
    /// Why this engine cannot run here, or nil.
    public var skipReason: String? {
        self == .uring ? URingAvailability.unavailableReason : nil
    }
}
