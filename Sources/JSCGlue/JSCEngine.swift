// JSCEngine: JavaScriptCore's process-wide options, set once before the first VM exists.
import CJavaScriptCore

/// Process-wide JavaScriptCore configuration. Every entry point that creates a VM (a context
/// group) or a JSC string goes through `configure()` first, so the options are in place before
/// JSC reads them; later calls do nothing.
public enum JSCEngine {
    /// True when JIT-compiled code polls for traps (see `configure`).
    public static var pollingTraps: Bool { configured }

    /// Sets `usePollingTraps`. Without it JavaScriptCore stops optimised (DFG/FTL) code for the
    /// watchdog by suspending the thread with a signal and planting breakpoints at the code's
    /// invalidation points; an FTL-compiled `for (;;) {}` (a handler hot enough to tier up, from
    /// its third run on) can loop where no breakpoint ever lands: the watchdog's trap stays
    /// pending, the signal sender suspends and resumes the thread every millisecond, and the
    /// loop thread never returns (seen with WebKitGTK 2.50: every tenant on the loop stalls and
    /// SIGTERM cannot stop it). With polling traps every tier checks the VM's trap bits at each
    /// loop head and function entry: a load and a branch, and no signals. See
    /// Kernel-notes/javascriptcore.md for the cost.
    public static func configure() { _ = configured }

    private static let configured: Bool = {
        _ = jsc_options_set_boolean("usePollingTraps", 1)
        var value: Int32 = 0
        return jsc_options_get_boolean("usePollingTraps", &value) != 0 && value != 0
    }()
}
