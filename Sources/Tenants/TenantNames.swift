// TenantNames: which tenant a request is for, decided without JavaScript (front and workers).
import HTTP1
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Resolves a request to a tenant name exactly as IsolateRuntime does (TenantRouter, then the
/// default tenant for bare localhost in host-or-path mode), so that every model answers the
/// same requests with the same tenants. Thread-safe.
public final class TenantNames: @unchecked Sendable {
    public let source: TenantSource
    public let routing: TenantRouting
    private let known = Mutex<Set<String>>([])

    public init(source: TenantSource, routing: TenantRouting) {
        self.source = source
        self.routing = routing
    }

    public func isKnown(_ name: String) -> Bool {
        switch source {
        case .builtIn(let set):
            return set.scripts[name] != nil
        case .directory(let dir):
            if known.withLock({ $0.contains(name) }) { return true }
            guard TenantRouter.isValidName(Array(name.utf8)), TenantCatalog.entry(dir, name) != nil else { return false }
            known.withLock { _ = $0.insert(name) }
            return true
        }
    }

    var defaultTenant: String? {
        switch source {
        case .builtIn(let set): return set.defaultTenant
        case .directory: return isKnown("default") ? "default" : nil
        }
    }

    /// The tenant for `request` (ranges into `bytes`), or nil (the runtime answers 404).
    public func resolve(_ request: HTTPRequest, in bytes: UnsafeRawBufferPointer) -> String? {
        let host = request.host.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }
        let target = UnsafeRawBufferPointer(rebasing: bytes[request.target])
        switch TenantRouter.route(host: host, target: target, routing: routing, isKnown: isKnown) {
        case .tenant(let name):
            return name
        case .miss(_, let isLocalHost):
            return routing == .hostOrPath && isLocalHost ? defaultTenant : nil
        }
    }
}
