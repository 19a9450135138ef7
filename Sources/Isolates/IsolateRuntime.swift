// IsolateRuntime: the narrow interface the event core calls to answer a request from a tenant's
// JavaScript. (Interface fixed; the implementation is being written.)
import HTTP1

/// How requests are routed to tenants.
public enum TenantRouting: String, Sendable, CaseIterable {
    /// `Host: NAME.localhost` (any `NAME.` host prefix), else the path prefix `/NAME/`.
    case hostOrPath = "host-or-path"
    /// Only `Host: NAME.localhost`.
    case host
    /// Only the path prefix `/NAME/` (stripped before the handler sees the URL).
    case path
}

/// Options for the isolate model; each is a flag of `isoring serve`.
public struct IsolateOptions: Sendable {
    /// CPU time one request may spend in JavaScript before it is stopped with a 503.
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

/// Answers requests by running tenants' JavaScript, one JSC context group per tenant, created
/// on the tenant's first request. Owned by one thread (one runtime per event loop); a caller
/// that shares one between threads serialises calls itself.
public final class IsolateRuntime {
    public let options: IsolateOptions
    public init(options: IsolateOptions, tenants: TenantSource,
                log: @escaping @Sendable (String) -> Void) throws {
        self.options = options
    }

    /// Routes `request` (ranges into `bytes`) to its tenant, runs the handler and writes one
    /// complete HTTP/1.1 response to `out` (status line, headers with content-length and,
    /// when `keepAlive` is false, `connection: close`; body unless HEAD). Errors become
    /// responses: 404 unknown tenant, 500 script error, 503 CPU limit. Returns the status.
    @discardableResult
    public func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                        into out: OutputBuffer) -> Int {
        HTTPResponseWriter.writeText(status: 501, "not implemented yet\n", keepAlive: keepAlive, into: out)
        return 501
    }
}
