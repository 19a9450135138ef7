// JSCContextGroup: one JSContextGroupRef = one JSC VM (its own heap, GC and CPU watchdog).
import CJavaScriptCore

/// Owns a JSContextGroupRef. Contexts in different groups share nothing: not globals, not
/// built-in prototypes, not the heap, so one group per tenant is the isolation boundary.
public final class JSCContextGroup {
    let ref: JSContextGroupRef
    /// Set by the watchdog callback when it stops a script; the caller resets it before each
    /// call and reads it after, because the termination exception looks like any other to the
    /// C API.
    public var terminationRequested = false

    public init() {
        JSCEngine.configure()
        ref = JSContextGroupCreate()
    }

    deinit {
        JSContextGroupClearExecutionTimeLimit(ref)
        JSContextGroupRelease(ref)
    }

    /// JSContextGroupSetExecutionTimeLimit: JSC's watchdog measures the CPU time of each entry
    /// into the VM from the API and calls back past `seconds`; the callback here records the
    /// event and always answers "terminate".
    public func setExecutionTimeLimit(seconds: Double) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        JSContextGroupSetExecutionTimeLimit(ref, seconds, { _, info in
            guard let info else { return true }
            Unmanaged<JSCContextGroup>.fromOpaque(info).takeUnretainedValue().terminationRequested = true
            return true
        }, me)
    }
}
