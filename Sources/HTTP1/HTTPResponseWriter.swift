// HTTPResponseWriter: writes response heads (status line, date, server, framing) into an OutputBuffer.

/// Writes HTTP/1.1 responses. Every whole response that may have content carries
/// Content-Length; a streamed one (`writeStreamHead`) is chunked, or for an HTTP/1.0 client
/// runs until the connection closes; 1xx, 204 and 304 carry neither a
/// length nor a body (RFC 9110 8.6, 15.4.5). The connection's fate is always said:
/// `Connection: keep-alive` or `Connection: close`, as nginx does, because an HTTP/1.0
/// client (ab -k) keeps a connection only when the response says so, and one line for every
/// version keeps the writer free of the request's version.
public enum HTTPResponseWriter {
    /// Writes status line and headers. `headers` are written as given (the caller excludes
    /// Content-Length, Connection and Transfer-Encoding, which the writer owns). The body
    /// follows with `OutputBuffer.append`; `contentLength` must equal its size (for HEAD the
    /// body is omitted but the length still describes it). Every head also carries `date:`
    /// (this thread's `HTTPDate` cache) and `server: isoring`. `status` must be 100...999.
    public static func writeHead(status: Int, reason: String? = nil,
                                 headers: some Sequence<(String, String)>,
                                 contentLength: Int, keepAlive: Bool, into out: OutputBuffer) {
        writeStatusLine(status: status, reason: reason, into: out)
        for (name, value) in headers {
            out.append(name)
            out.append(": ")
            out.append(value)
            out.append("\r\n")
        }
        writeFraming(status: status, contentLength: contentLength, keepAlive: keepAlive, into: out)
    }

    /// The fast path for the JavaScript glue: `headerBlock` holds ready header lines
    /// ("name: value\r\n" each, possibly none), copied with one memcpy, so no tuples or
    /// Strings are built per header. The same fields are excluded as for `writeHead`.
    public static func writeHead(status: Int, reason: String? = nil, headerBlock: UnsafeRawBufferPointer,
                                 contentLength: Int, keepAlive: Bool, into out: OutputBuffer) {
        out.reserve(headerBlock.count + 160)
        writeStatusLine(status: status, reason: reason, into: out)
        out.append(headerBlock)
        writeFraming(status: status, contentLength: contentLength, keepAlive: keepAlive, into: out)
    }

    /// The head of a streamed response: `transfer-encoding: chunked` when `chunked`, no
    /// length either way (the body follows in `appendChunk`s, or runs until the connection
    /// closes, which `keepAlive` false then says). Headers as for `writeHead`.
    public static func writeStreamHead(status: Int, reason: String? = nil, headerBlock: UnsafeRawBufferPointer,
                                       chunked: Bool, keepAlive: Bool, into out: OutputBuffer) {
        out.reserve(headerBlock.count + 160)
        writeStatusLine(status: status, reason: reason, into: out)
        out.append(headerBlock)
        if chunked && !forbidsContent(status) { out.append("transfer-encoding: chunked\r\n" as StaticString) }
        out.append(keepAlive ? "connection: keep-alive\r\n\r\n" as StaticString : "connection: close\r\n\r\n")
    }

    /// One chunk of a chunked body (RFC 9112 7.1): size in hex, CRLF, the bytes, CRLF. An
    /// empty piece writes nothing (a zero-size chunk would end the body).
    public static func appendChunk(_ bytes: UnsafeRawBufferPointer, into out: OutputBuffer) {
        guard bytes.count > 0 else { return }
        out.appendInPlace(maxBytes: 18) { start in
            var c = ByteCursor(start)
            c.putHex(bytes.count)
            c.put("\r\n")
            return c.pointer - start
        }
        out.append(bytes)
        out.append("\r\n" as StaticString)
    }

    /// The last chunk and the empty trailer section that end a chunked body.
    public static func appendLastChunk(into out: OutputBuffer) {
        out.append("0\r\n\r\n" as StaticString)
    }

    /// The interim response sent before reading a body the client holds back for
    /// `Expect: 100-continue` (RFC 9110 10.1.1).
    public static func write100Continue(into out: OutputBuffer) {
        out.append("HTTP/1.1 100 Continue\r\n\r\n")
    }

    /// A whole plain-text response (used for errors: 400, 404, 500, 503, ...).
    public static func writeText(status: Int, _ text: String, keepAlive: Bool, isHead: Bool = false,
                                 into out: OutputBuffer) {
        let body = text.utf8.count
        let contentType: StaticString = "content-type: text/plain; charset=utf-8\r\n"
        writeHead(status: status,
                  headerBlock: UnsafeRawBufferPointer(start: contentType.utf8Start,
                                                      count: contentType.utf8CodeUnitCount),
                  contentLength: body, keepAlive: keepAlive, into: out)
        if !isHead && !forbidsContent(status) { out.append(text) }
    }

    /// 1xx, 204 and 304 responses end with their head: no Content-Length, no body (RFC 9110
    /// 6.4.1). The caller leaves out the body for these.
    @inlinable public static func forbidsContent(_ status: Int) -> Bool {
        status < 200 || status == 204 || status == 304
    }

    /// "HTTP/1.1 200 OK\r\n", then the date and server lines every response carries.
    static func writeStatusLine(status: Int, reason: String?, into out: OutputBuffer) {
        precondition((100...999).contains(status), "HTTP status out of range: \(status)")
        var phrase = reason ?? reasonPhrase(status)
        phrase.withUTF8 { phraseBytes in
            HTTPDate.withCurrent { date in
                out.appendInPlace(maxBytes: 64 + phraseBytes.count + date.count) { start in
                    var c = ByteCursor(start)
                    c.put("HTTP/1.1 ")
                    c.putDecimal(status)
                    c.put(" ")
                    c.put(UnsafeRawBufferPointer(phraseBytes))
                    c.put("\r\ndate: ")
                    c.put(date)
                    c.put("\r\nserver: isoring\r\n")
                    return c.pointer - start
                }
            }
        }
    }

    /// Content-Length (unless the status forbids content), the connection's fate, and the
    /// empty line that ends the head.
    static func writeFraming(status: Int, contentLength: Int, keepAlive: Bool, into out: OutputBuffer) {
        precondition(contentLength >= 0)
        out.appendInPlace(maxBytes: 80) { start in
            var c = ByteCursor(start)
            if !forbidsContent(status) {
                c.put("content-length: ")
                c.putDecimal(contentLength)
                c.put("\r\n")
            }
            c.put(keepAlive ? "connection: keep-alive\r\n\r\n" as StaticString : "connection: close\r\n\r\n")
            return c.pointer - start
        }
    }

    /// The standard reason phrase for a status code.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 102: return "Processing"
        case 103: return "Early Hints"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 203: return "Non-Authoritative Information"
        case 205: return "Reset Content"
        case 206: return "Partial Content"
        case 207: return "Multi-Status"
        case 208: return "Already Reported"
        case 226: return "IM Used"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 305: return "Use Proxy"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Range Not Satisfiable"
        case 407: return "Proxy Authentication Required"
        case 417: return "Expectation Failed"
        case 421: return "Misdirected Request"
        case 423: return "Locked"
        case 424: return "Failed Dependency"
        case 425: return "Too Early"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 451: return "Unavailable For Legal Reasons"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        case 506: return "Variant Also Negotiates"
        case 507: return "Insufficient Storage"
        case 508: return "Loop Detected"
        case 511: return "Network Authentication Required"
        // RFC 9112 4: the reason phrase may be empty; a made-up word would be wrong.
        default: return ""
        }
    }
}

/// Writes bytes forward from a pointer into space already reserved.
struct ByteCursor {
    var pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }

    mutating func put(_ s: StaticString) {
        pointer.copyMemory(from: s.utf8Start, byteCount: s.utf8CodeUnitCount)
        pointer += s.utf8CodeUnitCount
    }

    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        pointer.copyMemory(from: from, byteCount: bytes.count)
        pointer += bytes.count
    }

    /// A non-negative integer in decimal (at most 19 digits).
    mutating func putDecimal(_ value: Int) {
        var digits = 1
        var v = value
        while v >= 10 { v /= 10; digits += 1 }
        v = value
        var k = digits - 1
        while k >= 0 {
            pointer.storeBytes(of: UInt8(48 + v % 10), toByteOffset: k, as: UInt8.self)
            v /= 10
            k -= 1
        }
        pointer += digits
    }

    /// A positive integer in lower-case hexadecimal (a chunk size; at most 16 digits).
    mutating func putHex(_ value: Int) {
        var digits = 1
        while digits < 16 && value >> (4 * digits) != 0 { digits += 1 }
        for k in 0..<digits {
            let nibble = (value >> (4 * (digits - 1 - k))) & 0xF
            pointer.storeBytes(of: UInt8(nibble < 10 ? 48 + nibble : 87 + nibble), toByteOffset: k, as: UInt8.self)
        }
        pointer += digits
    }
}
