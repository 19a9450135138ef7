// Isolate+Clock: Date and performance.now as on Workers: the clock stands still while code runs.
import Glibc
import JSCGlue

/// A tenant gets no clock it could time its own code with (Spectre-style timing, or timing
/// another tenant's work through the shared loop). As on Cloudflare Workers, the time a script
/// sees is the time its request arrived: `Date.now()`, `new Date()` and `performance.now()`
/// stand still while code runs and move only at I/O: a new request, a timer that fired, a
/// subrequest that completed (each entry into the isolate reads the time once), in whole
/// milliseconds. Chosen over a coarsened running clock
/// because a coarse clock that moves can still be sharpened by spinning until it ticks; a
/// frozen one cannot. `Date.now()` is whole milliseconds, as the real one; `performance.now()`
/// counts whole milliseconds since the isolate was created. What stays: Intl's formatters
/// still read the real clock (millisecond resolution, JavaScriptCore's own Date).
extension Isolate {
    static let clockPrelude = JSCString(String(decoding: PackageResources.clock_js, as: UTF8.self))
    static let clockPreludeURL = JSCString("isoring:clock.js")

    /// Installs the frozen clock (called from `installPrelude`).
    func installClock() throws(JSCError) {
        let ctx = context
        requestClockMs = Self.wallClockMs()
        let install = try ctx.evaluate(Self.clockPrelude, sourceURL: Self.clockPreludeURL)
        _ = try ctx.call(install, ctx.makeFunction { [unowned self] args in args.context.number(self.requestClockMs) })
    }

    /// CLOCK_REALTIME in whole milliseconds (vDSO: no syscall).
    static func wallClockMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000)
    }
}
