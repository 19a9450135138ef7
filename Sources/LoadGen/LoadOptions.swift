// LoadOptions: what one load run asks for, and the loopback-only target rule.
#if canImport(Glibc)
import Glibc
#endif

/// How tenants are chosen for successive requests.
public enum TenantOrder: String, Sendable, CaseIterable {
    /// Tenant K with Zipf probability (a few hot tenants, a long tail of cold ones).
    case zipf
    /// Tenants 0, 1, 2, ... in turn: with --requests N and N tenants, each is hit once (cold starts).
    case sweep
}

public struct LoadOptions: Sendable {
    /// IPv4 address and port of the target.
    public var host = "127.0.0.1"
    public var port: UInt16 = 8080
    /// Request target (origin form), e.g. "/".
    public var path = "/"
    public var connections = 16
    /// Requests outstanding per connection (1 = no pipelining).
    public var pipeline = 1
    /// Open loop: requests per second over all connections; nil = closed loop.
    public var rate: Double?
    /// Measured length in nanoseconds (after warm-up); nil = until `requests` are done.
    public var durationNanos: Int64?
    /// Total requests to complete (warm-up included when there is one); nil = until the duration ends.
    public var requests: UInt64?
    public var warmupNanos: Int64 = 0
    /// 0 = one Host header for every request (the target's); N = `Host: t{K}.localhost`.
    public var tenants = 0
    public var zipfExponent = 1.0
    public var tenantOrder = TenantOrder.zipf
    public var threads = 1
    public var seed: UInt64 = 20_260_101

    public init() {}

    /// Connections of load thread `t` (spread as evenly as possible).
    public func connections(ofThread t: Int) -> Int {
        connections / threads + (t < connections % threads ? 1 : 0)
    }

    /// Request budget of thread `t`, spread like the connections.
    public func requests(ofThread t: Int) -> UInt64? {
        guard let n = requests else { return nil }
        let T = UInt64(threads)
        return n / T + (UInt64(t) < n % T ? 1 : 0)
    }
}

/// The load generator only sends to loopback unless the user names the host: it is a
/// measuring tool, not a way to flood someone else's machine.
public enum TargetPolicy {
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var addr = in_addr()
        guard inet_pton(AF_INET, host, &addr) == 1 else { return false }
        return UInt32(bigEndian: addr.s_addr) >> 24 == 127
    }

    /// nil when the host may be loaded, or the reason it may not.
    public static func refusal(host: String, allowed: [String]) -> String? {
        if isLoopback(host) || allowed.contains(host) { return nil }
        return "\(host) is not a loopback address; name it with --allow-remote \(host) to load it"
    }
}

/// A parsed `http://host:port/path` (IPv4 or localhost only).
public struct TargetURL: Sendable, Equatable {
    public var host: String
    public var port: UInt16
    public var path: String

    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        if let colon = authority.lastIndex(of: ":") {
            guard let p = UInt16(authority[authority.index(after: colon)...]) else { return nil }
            host = String(authority[..<colon])
            port = p
        } else {
            host = String(authority)
            port = 80
        }
        if host.isEmpty { return nil }
    }
}
