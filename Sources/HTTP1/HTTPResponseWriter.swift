// HTTPResponseWriter: writes response heads (status line, date, server, framing) into an OutputBuffer.

/// Writes HTTP/1.1 responses. Every response carries Content-Length (no chunked responses:
/// handlers produce whole bodies), and `Connection: close` when the connection will close.
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
        writeFraming(contentLength: contentLength, keepAlive: keepAlive, into: out)
    }

    /// The fast path for the JavaScript glue: `headerBlock` holds ready header lines
    /// ("name: value\r\n" each, possibly none), copied with one memcpy, so no tuples or
    /// Strings are built per header. The same fields are excluded as for `writeHead`.
    public static func writeHead(status: Int, reason: String? = nil, headerBlock: UnsafeRawBufferPointer,
                                 contentLength: Int, keepAlive: Bool, into out: OutputBuffer) {
        out.reserve(headerBlock.count + 160)
        writeStatusLine(status: status, reason: reason, into: out)
        out.append(headerBlock)
        writeFraming(contentLength: contentLength, keepAlive: keepAlive, into: out)
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
        if !isHead { out.append(text) }
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

    /// Content-Length always (no chunked responses), `connection: close` when closing, and
    /// the empty line that ends the head.
    static func writeFraming(contentLength: Int, keepAlive: Bool, into out: OutputBuffer) {
        precondition(contentLength >= 0)
        out.appendInPlace(maxBytes: 64) { start in
            var c = ByteCursor(start)
            c.put("content-length: ")
            c.putDecimal(contentLength)
            c.put(keepAlive ? "\r\n\r\n" as StaticString : "\r\nconnection: close\r\n\r\n")
            return c.pointer - start
        }
    }

    /// The standard reason phrase for a status code.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
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
        case 417: return "Expectation Failed"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Unknown"
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
}
