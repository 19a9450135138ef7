// TenantSource: where tenants come from and how requests find them (flags of serve and worker).

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

/// Where tenant scripts come from: a folder of `NAME.js` files, or a set compiled into the
/// binary (Isolates' `TenantSource.demo`: the demo tenants).
public enum TenantSource: Sendable {
    case builtIn(BuiltInTenants)
    case directory(String)
}

/// Tenants compiled into the binary: name -> script, and the one that answers bare localhost.
public struct BuiltInTenants: Sendable {
    public let scripts: [String: String]
    public let defaultTenant: String?
    public init(scripts: [String: String], defaultTenant: String?) {
        self.scripts = scripts
        self.defaultTenant = defaultTenant
    }
}
