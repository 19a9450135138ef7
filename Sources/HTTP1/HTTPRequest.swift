// HTTPRequest: one parsed request as byte ranges into the connection's input buffer.

/// A header field as two byte ranges (name, value) into the buffer the request was parsed
/// from. The value has surrounding whitespace trimmed.
public struct HTTPHeaderField: Sendable, Equatable {
    public var name: Range<Int>
    public var value: Range<Int>
    @inlinable public init(name: Range<Int>, value: Range<Int>) {
        self.name = name
        self.value = value
    }
}

/// One parsed request. All ranges index into the buffer passed to the parser, which stays
/// valid (and unchanged) until the caller consumes the request: nothing is copied, so parsing
/// allocates nothing once `headers` has grown to its working capacity.
public struct HTTPRequest: Sendable {
    /// The method token, e.g. "GET".
    public var method: Range<Int> = 0..<0
    /// The request target as sent (origin form "/path?query", or absolute form).
    public var target: Range<Int> = 0..<0
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var versionMinor: Int = 1
    /// Header fields in the order received; reused across requests (capacity kept).
    public var headers: [HTTPHeaderField] = []
    /// The Host header's value, if present.
    public var host: Range<Int>? = nil
    /// The body (decoded in place when it was chunked). Empty when there is none.
    public var body: Range<Int> = 0..<0
    /// Whether the connection stays open after the response (HTTP/1.1 default yes unless
    /// `Connection: close`; HTTP/1.0 default no unless `Connection: keep-alive`).
    public var keepAlive: Bool = true
    /// True for HEAD: the response carries headers only.
    public var isHead: Bool = false
    /// True when the client sent `Expect: 100-continue`.
    public var expectsContinue: Bool = false

    public init() {
        headers.reserveCapacity(32)
    }
}

/// Limits the parser enforces; each is a command-line flag of `isoring serve`.
public struct HTTPLimits: Sendable {
    /// Request line plus all header lines, in bytes (431 past it; 414 for a long request line).
    public var maxHeaderBytes: Int = 16 * 1024
    /// Number of header fields (431 past it).
    public var maxHeaderCount: Int = 100
    /// Decoded body size in bytes (413 past it).
    public var maxBodyBytes: Int = 1024 * 1024
    public init() {}
    public init(maxHeaderBytes: Int, maxHeaderCount: Int, maxBodyBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Why a request was refused: the status to answer with (the connection is then closed).
public struct HTTPParseError: Error, Sendable, Equatable {
    /// 400, 413, 414, 431, 501 or 505.
    public var status: Int
    /// A short human-readable reason, sent as the response body.
    public var reason: String
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// The parser's answer for the bytes it was given.
public enum HTTPParseStatus: Sendable, Equatable {
    /// Not a whole request yet: read more bytes and call again with the longer buffer.
    case incomplete
    /// A whole request (head and body) occupies the first `consumed` bytes; see `request`.
    case complete(consumed: Int)
    /// The bytes are not an acceptable request: answer `error.status` and close.
    case failed(HTTPParseError)
}
