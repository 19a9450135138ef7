// IsolateRuntime: the narrow interface the event core calls to answer a request from a tenant's
// JavaScript: routing, isolate creation on first request (cold start), dispatch.
import Glibc
import HTTP1

/// How requests are routed to tenants.
public enum TenantRouting: String, Sendable, CaseIterable {
    /// `Host: NAME.localhost` (any `NAME.` host prefix), else the path prefix `/NAME/`.
    case hostOrPath = "host-or-path"
    /// Only `Host: NAME.localhost`.
    case host
    /// Only the path prefix `/NAME/`. The handler sees the URL as the client sent it (as on
    /// Workers, where a route pattern does not rewrite the request), prefix included.
    case path
}

/// Options for the isolate model; each is a flag of `isoring serve`.
public struct IsolateOptions: Sendable {
    /// CPU time one request may spend in JavaScript before it is stopped with a 503
    /// (JSContextGroupSetExecutionTimeLimit; 0 = no limit).
    public var cpuLimitMs: Int = 50
    public var routing: TenantRouting = .hostOrPath
    public init() {}
}

/// Where tenant scripts come from: a folder of `NAME.js` files, or the demo tenants compiled
/// into the binary.
public enum TenantSource: Sendable {
    case builtIn
    case directory(String)
}

/// One tenant's JSC heap statistics (see JSCGlue.JSCMemoryUsage; re-declared so callers of
/// Isolates need not import JSCGlue).
public struct TenantMemoryUsage: Sendable, Equatable {
    public var heapSizeBytes: Int
    public var heapCapacityBytes: Int
    public var extraMemoryBytes: Int
    public var objectCount: Int
}

/// Answers requests by running tenants' JavaScript, one JSC context group per tenant, created
/// on the tenant's first request.
///
/// Settling: JSC drains microtasks when the outermost API call returns, so a handler that
/// awaits only already-settled work has answered when the dispatch call returns. Timers run
/// on virtual time: while the response is pending the earliest timer fires (setTimeout(f, 0)
/// runs right after the handler's microtasks; `await sleep(100)` resumes at once instead of
/// after 100 ms); once the response is written only zero-delay timers still fire, and any
/// others are dropped at the end of the request. Anything still pending is a 500. Owned by one thread (one runtime per event loop); a caller
/// that shares one between threads serialises calls itself.
public final class IsolateRuntime {
    public let options: IsolateOptions
    private var catalog: TenantCatalog
    private let log: @Sendable (String) -> Void
    private var states: [String: TenantState] = [:]
    /// Every isolate creation so far, in order (for the measurement layer).
    public private(set) var coldStarts: [ColdStart] = []
    /// Called after each cold start, on the runtime's thread.
    public var onColdStart: ((ColdStart) -> Void)?

    private enum TenantState {
        case live(Isolate)
        /// The script could not be loaded; every request answers 500 and logs the reason
        /// (cached: the file is not re-read until the process restarts).
        case failed(String)
    }

    public init(options: IsolateOptions, tenants: TenantSource,
                log: @escaping @Sendable (String) -> Void) throws {
        self.options = options
        self.log = log
        if case .directory(let dir) = tenants, !Self.isDirectory(dir) {
            throw ScriptLoadError("tenants folder \(dir) does not exist or is not a folder")
        }
        catalog = TenantCatalog(tenants)
    }

    /// Tenants with a live isolate.
    public var tenantCount: Int {
        states.values.reduce(0) { n, s in if case .live = s { return n + 1 } else { return n } }
    }

    /// JSC heap statistics of each live tenant (JSGetMemoryUsageStatistics); not for the
    /// request path (each reading allocates a JavaScript object).
    public func memoryUsage() -> [String: TenantMemoryUsage] {
        var out: [String: TenantMemoryUsage] = [:]
        for (name, state) in states {
            if case .live(let iso) = state {
                let m = iso.context.memoryUsage()
                out[name] = TenantMemoryUsage(heapSizeBytes: m.heapSizeBytes, heapCapacityBytes: m.heapCapacityBytes,
                                              extraMemoryBytes: m.extraMemoryBytes, objectCount: m.objectCount)
            }
        }
        return out
    }

    /// Routes `request` (ranges into `bytes`) to its tenant, runs the handler and writes one
    /// complete HTTP/1.1 response to `out` (status line, headers with content-length and,
    /// when `keepAlive` is false, `connection: close`; body unless HEAD). Errors become
    /// responses: 404 unknown tenant, 500 script error, 503 CPU limit. Returns the status.
    @discardableResult
    public func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                        into out: OutputBuffer) -> Int {
        let host = request.host.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }
        let target = UnsafeRawBufferPointer(rebasing: bytes[request.target])
        let route = TenantRouter.route(host: host, target: target, routing: options.routing) {
            self.catalog.isKnown($0)
        }
        switch route {
        case .tenant(let name):
            return serve(name, request, bytes, keepAlive, out)
        case .miss(let candidate, let isLocalHost):
            if options.routing == .hostOrPath, isLocalHost, let name = catalog.defaultTenant {
                return serve(name, request, bytes, keepAlive, out)
            }
            let text = candidate.map { "no tenant named \($0)\n" } ?? "no tenant for this host or path\n"
            HTTPResponseWriter.writeText(status: 404, text, keepAlive: keepAlive, isHead: request.isHead, into: out)
            return 404
        }
    }

    private func serve(_ name: String, _ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer,
                       _ keepAlive: Bool, _ out: OutputBuffer) -> Int {
        switch states[name] {
        case .live(let isolate):
            let status = isolate.handle(request, in: bytes, keepAlive: keepAlive, into: out)
            if isolate.isBroken { states[name] = nil }
            return status
        case .failed(let reason):
            log("[\(name)] script failed to load: \(reason)")
            HTTPResponseWriter.writeText(status: 500, "Internal Server Error\n", keepAlive: keepAlive,
                                         isHead: request.isHead, into: out)
            return 500
        case nil:
            return coldStart(name, request, bytes, keepAlive, out)
        }
    }

    private func coldStart(_ name: String, _ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer,
                           _ keepAlive: Bool, _ out: OutputBuffer) -> Int {
        var timing = ColdStart(tenant: name)
        let isolate = Isolate(name: name, cpuLimitMs: options.cpuLimitMs, log: log, coldStart: &timing)
        do {
            let t = monotonicNanos()
            let script = try catalog.script(for: name)
            try isolate.load(script: script)
            timing.scriptEvaluateNanos = monotonicNanos() - t
        } catch {
            states[name] = .failed(error.message)
            return serve(name, request, bytes, keepAlive, out)
        }
        states[name] = .live(isolate)
        let t = monotonicNanos()
        let status = isolate.handle(request, in: bytes, keepAlive: keepAlive, into: out)
        timing.firstCallNanos = monotonicNanos() - t
        if isolate.isBroken { states[name] = nil }
        coldStarts.append(timing)
        onColdStart?(timing)
        return status
    }

    private static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
