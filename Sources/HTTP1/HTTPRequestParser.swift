// HTTPRequestParser: frames one HTTP/1.1 request at a time from a byte buffer (to be written).

/// Parses requests in place. Interface fixed; implementation pending.
public struct HTTPRequestParser: Sendable {
    public var limits: HTTPLimits
    /// The request framed by the last `.complete` result.
    public var request = HTTPRequest()

    public init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// Parses one whole request from the start of `bytes`. Chunked bodies are decoded in place
    /// (the decoded body ends up at `request.body`, inside `bytes`). Call again with more
    /// bytes after `.incomplete`; after `.complete(consumed:)` the caller handles the request,
    /// drops the consumed bytes and calls again for a pipelined next request.
    public mutating func parse(_ bytes: UnsafeMutableRawBufferPointer) -> HTTPParseStatus {
        .incomplete
    }
}
