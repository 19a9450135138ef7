// ColdStart: how long each phase of creating one tenant's isolate took.
import Glibc

/// One isolate creation, in nanoseconds per phase. `firstCallNanos` is the first request's
/// dispatch (handler call, settle and response writing).
public struct ColdStart: Sendable, Equatable {
    public var tenant: String
    /// JSContextGroupCreate + JSGlobalContextCreateInGroup + watchdog setup.
    public var contextCreateNanos: Int = 0
    /// URL prelude and Workers prelude evaluation plus native bridge installation.
    public var preludeInstallNanos: Int = 0
    /// Reading the script (directory source), rewriting, compiling and evaluating it.
    public var scriptEvaluateNanos: Int = 0
    public var firstCallNanos: Int = 0
    public var pooled = false
    public var totalNanos: Int { contextCreateNanos + preludeInstallNanos + scriptEvaluateNanos + firstCallNanos }

    public init(tenant: String) { self.tenant = tenant }
}
