// ColdStart: how long each phase of creating one tenant's isolate took.
import Glibc

/// One isolate creation, in nanoseconds per phase. `firstCallNanos` is the first request's
/// dispatch (handler call, settle and response writing).
public struct ColdStart: Sendable, Equatable {
    public var tenant: String
    /// JSContextGroupCreate + JSGlobalContextCreateInGroup + watchdog setup.
    public var contextCreateNanos: Int = 0
    /// The part of `contextCreateNanos` spent in JSContextGroupCreate (a new JSC VM); 0 when
    /// the tenant joins the loop's shared group or takes a pooled context.
    public var groupCreateNanos: Int = 0
    /// URL prelude and Workers prelude evaluation plus native bridge installation.
    public var preludeInstallNanos: Int = 0
    /// Reading the script (directory source), rewriting, compiling and evaluating it.
    public var scriptEvaluateNanos: Int = 0
    public var firstCallNanos: Int = 0
    /// The thread's CPU time from the request's arrival at the runtime to the handler's entry
    /// (context or pool take, prelude, script), and in the first call: the phases above are
    /// wall time, which a loaded machine stretches; these two are what the work itself cost.
    public var toHandlerCPUNanos: Int = 0
    public var firstCallCPUNanos: Int = 0
    public var pooled = false
    public var totalNanos: Int { contextCreateNanos + preludeInstallNanos + scriptEvaluateNanos + firstCallNanos }

    public init(tenant: String) { self.tenant = tenant }
}
