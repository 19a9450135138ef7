// TenantRouter: picks the tenant for a request from its Host and path (pure, no I/O).
import Glibc

/// The router's answer.
public enum TenantRoute: Equatable, Sendable {
    /// A known tenant.
    case tenant(String)
    /// No known tenant matched. `candidate` is the name the request seemed to ask for (the
    /// Host's first label, else the first path segment), for the 404 message; `isLocalHost`
    /// says whether Host was bare localhost / 127.0.0.1 / ::1 (or absent), where the default
    /// tenant answers in host-or-path mode.
    case miss(candidate: String?, isLocalHost: Bool)
}

public enum TenantRouter {
    /// A tenant name: 1 to 63 of [a-z0-9-].
    public static func isValidName<S: Collection<UInt8>>(_ bytes: S) -> Bool {
        if bytes.isEmpty || bytes.count > 63 { return false }
        for b in bytes {
            let ok = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
            if !ok { return false }
        }
        return true
    }

    /// Routes by `host` (the Host header value, may carry a port) and `target` (the request
    /// target as sent). `isKnown` answers whether a tenant exists. Host match: the first label
    /// of a host with at least one dot (`NAME.localhost:8080`, `NAME.example.com`); path
    /// match: `/NAME`, `/NAME/...` or `/NAME?...`. The URL is not rewritten.
    public static func route(host: UnsafeRawBufferPointer?, target: UnsafeRawBufferPointer,
                             routing: TenantRouting, isKnown: (String) -> Bool) -> TenantRoute {
        var candidate: String? = nil
        var isLocal = true
        if let host {
            let name = hostWithoutPort(host)
            isLocal = isLocalHostName(name)
            if !isLocal, routing != .path, let dot = name.firstIndex(of: 0x2E) {
                let label = UnsafeRawBufferPointer(rebasing: name[name.startIndex..<dot])
                if isValidName(label) && !isAllDigits(label) {
                    let s = String(decoding: label, as: UTF8.self)
                    if isKnown(s) { return .tenant(s) }
                    candidate = s
                }
            }
        }
        if routing != .host {
            let segment = firstPathSegment(target)
            if isValidName(segment) {
                let s = String(decoding: segment, as: UTF8.self)
                if isKnown(s) { return .tenant(s) }
                if candidate == nil { candidate = s }
            }
        }
        return .miss(candidate: candidate, isLocalHost: isLocal)
    }

    static func hostWithoutPort(_ host: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        // "[::1]:8080" keeps its brackets; "name:8080" loses the port.
        if host.first == 0x5B, let close = host.firstIndex(of: 0x5D) { return host[host.startIndex...close] }
        if let colon = host.firstIndex(of: 0x3A) { return host[host.startIndex..<colon] }
        return host[...]
    }

    static func isLocalHostName(_ name: Slice<UnsafeRawBufferPointer>) -> Bool {
        if name.isEmpty { return true }
        let bytes = UnsafeRawBufferPointer(rebasing: name)
        return equals(bytes, "localhost") || equals(bytes, "127.0.0.1") || equals(bytes, "[::1]")
    }

    /// Byte equality with a literal, without String's generic UTF-8 view (on every request:
    /// callgrind counted 656 instructions per request for the three comparisons that way).
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard bytes.count == n else { return false }
        return n == 0 || memcmp(bytes.baseAddress!, literal.utf8Start, n) == 0
    }

    static func isAllDigits(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The first segment of an origin-form target ("/a/b?q" -> "a"), or of the path of an
    /// absolute-form target ("http://h/a/b" -> "a").
    static func firstPathSegment(_ target: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        if target.first != 0x2F {
            // absolute form: skip "scheme://authority"
            guard let schemeEnd = firstIndex(of: "://", in: target) else { return UnsafeRawBufferPointer(rebasing: target[0..<0]) }
            start = schemeEnd + 3
            while start < target.count && target[start] != 0x2F { start += 1 }
            if start >= target.count { return UnsafeRawBufferPointer(rebasing: target[0..<0]) }
        }
        start += 1
        var end = start
        while end < target.count {
            let b = target[end]
            if b == 0x2F || b == 0x3F || b == 0x23 { break }
            end += 1
        }
        return UnsafeRawBufferPointer(rebasing: target[start..<end])
    }

    static func firstIndex(of needle: StaticString, in bytes: UnsafeRawBufferPointer) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard bytes.count >= n else { return nil }
        let p = needle.utf8Start
        outer: for i in 0...(bytes.count - n) {
            for j in 0..<n where bytes[i + j] != p[j] { continue outer }
            return i
        }
        return nil
    }
}
