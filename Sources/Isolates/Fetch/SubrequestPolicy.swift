// SubrequestPolicy: what a tenant's fetch() may reach and how much of it.
import Glibc
import Tenants

/// The operator's rules for subrequests (`--allow-backend`, `--max-subrequests`). A tenant
/// reaches only http:// backends named here by IPv4 address and port; nothing else, so a
/// tenant cannot probe the host's other services.
public struct SubrequestPolicy: Sendable {
    /// "ADDRESS:PORT" entries, e.g. "127.0.0.1:9000".
    public var allowedBackends: Set<String> = []
    /// Subrequests one request may make (Workers' default is 50); 0 = none at all.
    public var maxSubrequests = 50
    /// Largest response body a subrequest may return (it is buffered).
    public var maxResponseBytes = 64 << 20
    /// Idle kept-alive connections kept per backend (per loop).
    public var maxIdlePerBackend = 64
    public init() {}

    /// Parses `--allow-backend` ("127.0.0.1:9000,127.0.0.1:9001"); throws a message naming
    /// the entry it cannot read.
    public static func parseBackends(_ text: String) throws -> Set<String> {
        var out: Set<String> = []
        for entry in text.split(separator: ",").map(\.trimmedSpaces) where !entry.isEmpty {
            guard BackendAddress(entry) != nil else {
                throw ScriptLoadError("--allow-backend: \"\(entry)\" is not IPV4:PORT (for example 127.0.0.1:9000)")
            }
            out.insert(entry)
        }
        return out
    }
}

/// An IPv4 backend as a sockaddr_in, and its "ADDRESS:PORT" key.
struct BackendAddress {
    let key: String
    let address: sockaddr_in

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0 else { return nil }
        var addr = in_addr()
        guard inet_pton(AF_INET, String(text[..<colon]), &addr) == 1 else { return nil }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        sa.sin_addr = addr
        address = sa
        key = text
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Isolates does without Foundation).
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
