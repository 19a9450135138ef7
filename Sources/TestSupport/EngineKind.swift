// EngineKind: the engines a conformance test runs against (constructed by the test target,
// which may import the concrete engines; TestSupport imports only IOCore).

/// One case per engine; tests take `EngineKind.allCases` as arguments.
public enum EngineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case uring, epoll, blocking

    public var description: String { rawValue }

    /// Why this engine cannot run here, or nil.
    public var skipReason: String? {
        self == .uring ? URingAvailability.unavailableReason : nil
    }
}
