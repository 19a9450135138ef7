// FaultInjection: debug-build-only seams that make an isolate fail to come up, for the fault tests.
import Glibc
import JSCGlue

/// Faults the end-to-end tests cannot cause on demand (JavaScriptCore out of memory, a watchdog
/// stop during the prelude on a loaded machine) are injected here, read from the environment
/// once per process. Compiled in debug builds only (swift-system's ENABLE_MOCKING idea): a
/// release build has no seam and pays nothing.
///
/// `ISORING_FAULT_PRELUDE=N`: the first N prelude installs in this process fail.
enum FaultInjection {
    #if DEBUG
    nonisolated(unsafe) private static var preludeFailuresLeft: Int = {
        getenv("ISORING_FAULT_PRELUDE").flatMap { Int(String(cString: $0)) } ?? 0
    }()
    #endif

    /// Throws the injected failure for one prelude install, if any is left.
    static func preludeInstall() throws(JSCError) {
        #if DEBUG
        guard preludeFailuresLeft > 0 else { return }
        preludeFailuresLeft -= 1
        throw JSCError(name: "RangeError", message: "Out of memory (injected by ISORING_FAULT_PRELUDE)")
        #endif
    }
}

/// Why an isolate (context, prelude) could not be created; the request that needed it gets a
/// 503 and the reason goes to the log.
struct IsolateStartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
