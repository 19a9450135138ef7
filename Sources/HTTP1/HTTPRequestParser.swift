// HTTPRequestParser: frames one HTTP/1.1 request at a time from a byte buffer (RFC 9112).

/// Parses requests in place, resumably. The head is scanned byte by byte exactly once across
/// calls (the scan position and the state machine live in the parser), so a request that
/// arrives in many small reads costs no rescanning; garbage fails at its first bad byte.
///
/// Calling contract:
/// - Pass the connection's unconsumed bytes, starting at the first byte of the request.
/// - After `.incomplete`, call again with the same bytes grown by more (the buffer may move,
///   offsets are relative to its start).
/// - After `.complete(consumed: n)`, `request` is valid until the next call; drop the first
///   `n` bytes and call again for a pipelined request. The parser resets itself, so no
///   `reset()` is needed between requests, nor after `.failed` (the connection closes anyway).
/// - Call `reset()` only when abandoning a partly received request without `.complete` or
///   `.failed` (e.g. the parser value is reused for another connection).
///
/// The bytes are written only when `.complete` is returned for a chunked body (decoded in
/// place); until then the parser only reads them.
///
/// Allocation: none once `request.headers` has reached its working capacity, provided the
/// caller does not keep a copy of `request` across calls (a live copy makes the next request
/// copy the headers array on write).
///
/// `Expect: 100-continue`: the client waits for the interim answer before sending the body,
/// so after `.incomplete` the caller asks `takePendingContinue()` and, when it says true,
/// sends `HTTPResponseWriter.write100Continue` and keeps reading.
public struct HTTPRequestParser: Sendable {
    public var limits: HTTPLimits
    /// The request framed by the last `.complete` result.
    public var request = HTTPRequest()

    /// Where the state machine is; `.idle` means the next call starts a new request.
    var phase: Phase = .idle
    /// Next byte offset to examine.
    var scan = 0
    /// Offset of the request line's first byte (after tolerated leading empty lines).
    var headStart = 0
    /// Offset of the current header line's first byte.
    var lineStart = 0
    /// Start of the token being read (target, header value).
    var mark = 0
    /// End of the current header name, and of the last non-whitespace byte of its value.
    var nameEnd = 0
    var valueEnd = 0
    /// Progress through "HTTP/", and the version digits read.
    var versionIndex = 0
    var versionMajor = 0
    var versionMajorDigits = 0
    var versionMinor = 0
    var versionMinorDigits = 0
    /// Offset just past the empty line that ends the head.
    var headEnd = 0
    /// Header semantics gathered while scanning.
    var hostCount = 0
    var contentLength: Int? = nil
    var chunked = false
    var sawTransferEncoding = false
    /// Transfer-Encoding as it accumulates over field lines: times chunked was named,
    /// whether the last coding named was chunked, whether another coding was named.
    var chunkedCount = 0
    var lastCodingIsChunked = false
    var otherCoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false
    /// Chunked body: offset of the next chunk-size (or trailer) line, decoded bytes so far,
    /// whether the last chunk was seen, and where the trailers began.
    var chunkOffset = 0
    var chunkDecodedBytes = 0
    var inTrailers = false
    var trailerStart = 0
    /// Set when a head with `Expect: 100-continue` is complete and its body is still to come.
    var continuePending = false

    enum Phase: UInt8 {
        case idle
        case leading, leadingCR
        case method, targetFirst, target
        case version, versionMajor, versionMinor, requestLineCR
        case lineStart, name, valueLeading, value, lineCR, finalCR
        case lengthBody, chunkedBody
    }

    /// The longest chunk-size line (size plus ignored extensions) accepted; a peer that
    /// streams extensions forever must not grow the connection buffer without bound.
    static let maxChunkLineBytes = 4096

    /// The longest method accepted. The longest registered method (UPDATEREDIRECTREF) has 17
    /// bytes; 32 leaves room for extension methods a Worker might route on.
    static let maxMethodBytes = 32

    public init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// True once per request, after `.incomplete`, when the head asked for
    /// `Expect: 100-continue` and the body has not all arrived: the caller then sends
    /// `HTTPResponseWriter.write100Continue` (RFC 9110 10.1.1). The head's fields are in
    /// `request` already (e.g. to refuse with 413 or 417 instead).
    public mutating func takePendingContinue() -> Bool {
        defer { continuePending = false }
        return continuePending && (phase == .lengthBody || phase == .chunkedBody)
    }

    /// True after `.incomplete` once the head is in and the body is still arriving (the body
    /// gap timeout applies then, the head timeout before).
    public var isReadingBody: Bool { phase == .lengthBody || phase == .chunkedBody }

    /// Forgets a partly parsed request; the next `parse` starts from the buffer's first byte.
    public mutating func reset() { phase = .idle }

    /// Parses one whole request from the start of `bytes`. Chunked bodies are decoded in place
    /// (the decoded body ends up at `request.body`, inside `bytes`). Call again with more
    /// bytes after `.incomplete`; after `.complete(consumed:)` the caller handles the request,
    /// drops the consumed bytes and calls again for a pipelined next request.
    public mutating func parse(_ bytes: UnsafeMutableRawBufferPointer) -> HTTPParseStatus {
        if phase == .idle || scan > bytes.count || chunkOffset > bytes.count { begin() }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .incomplete }
        let count = bytes.count

        if phase.rawValue < Phase.lengthBody.rawValue {
            switch scanHead(base, count) {
            case .needMore: return .incomplete
            case .failed(let error): return fail(error)
            case .done: if let error = finishHead(base) { return fail(error) }
            }
        }
        switch phase {
        case .lengthBody:
            let length = contentLength ?? 0
            guard count - headEnd >= length else { return .incomplete }
            request.body = headEnd..<(headEnd + length)
            return complete(headEnd + length)
        case .chunkedBody:
            switch scanChunked(base, count) {
            case .needMore: return .incomplete
            case .failed(let error): return fail(error)
            case .done(let end):
                request.body = decodeChunked(base, count)
                return complete(end)
            }
        default:
            request.body = headEnd..<headEnd
            return complete(headEnd)
        }
    }

    /// Clears per-request state, keeping the headers array's capacity.
    mutating func begin() {
        phase = .leading
        scan = 0
        headStart = 0
        headEnd = 0
        versionIndex = 0
        versionMajor = 0; versionMajorDigits = 0
        versionMinor = 0; versionMinorDigits = 0
        hostCount = 0
        contentLength = nil
        chunked = false
        sawTransferEncoding = false
        chunkedCount = 0
        lastCodingIsChunked = false
        otherCoding = false
        connectionClose = false
        connectionKeepAlive = false
        expectContinue = false
        chunkOffset = 0
        chunkDecodedBytes = 0
        inTrailers = false
        trailerStart = 0
        continuePending = false
        request.method = 0..<0
        request.target = 0..<0
        request.versionMinor = 1
        request.headers.removeAll(keepingCapacity: true)
        request.host = nil
        request.body = 0..<0
        request.keepAlive = true
        request.isHead = false
        request.expectsContinue = false
    }

    mutating func complete(_ consumed: Int) -> HTTPParseStatus {
        phase = .idle
        return .complete(consumed: consumed)
    }

    mutating func fail(_ error: HTTPParseError) -> HTTPParseStatus {
        phase = .idle
        return .failed(error)
    }

    /// Applies what can only be judged once the whole head is in, and picks the body framing.
    mutating func finishHead(_ base: UnsafeMutableRawPointer) -> HTTPParseError? {
        if request.versionMinor == 1 && hostCount == 0 { return .missingHost }
        // RFC 9112 3.2.2: for an absolute-form target, its authority is the one that counts,
        // for routing and for the URL the tenant sees; the Host field is ignored.
        if let authority = targetAuthority(base) { request.host = authority }
        if let error = finishTransferEncoding() { return error }
        if chunked && contentLength != nil { return .lengthAndChunked }
        request.keepAlive = connectionClose ? false : (request.versionMinor == 0 ? connectionKeepAlive : true)
        request.isHead = bytesEqual(base, request.method, "HEAD")
        // RFC 9110 10.1.1: a server must ignore 100-continue from an HTTP/1.0 client.
        request.expectsContinue = expectContinue && request.versionMinor == 1
        continuePending = request.expectsContinue
        if chunked {
            phase = .chunkedBody
            chunkOffset = headEnd
        } else if let length = contentLength, length > 0 {
            phase = .lengthBody
        } else {
            phase = .idle
        }
        return nil
    }
}
