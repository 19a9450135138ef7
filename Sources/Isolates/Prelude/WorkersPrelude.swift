// WorkersPrelude: the Workers API in JavaScript (Headers, Request, Response, console, timers...).

/// The script is workers-prelude.js, embedded in the binary at build time (one file, so
/// `/proc/self/exe` workers carry it too). Evaluated once per new context (`URLPrelude` follows
/// lazily, on the first use of URL or URLSearchParams). The script's completion value is a
/// function taking the native bridge object and returning the hooks the runtime calls
/// (`dispatch`, `install`, `fireTimer`, `clearTimers`, `onUnhandledRejection`, `warmUp`); the
/// bridge and the hooks stay in the closure, out of tenants' reach.
enum WorkersPrelude {
    static let source = String(decoding: PackageResources.workers_prelude_js, as: UTF8.self)
}
