// HTTPResponseWriter: writes a response head into an OutputBuffer. (Interface fixed; the
// HTTP1 work fills in the remaining pieces such as reason phrases and the Date header.)

/// Writes HTTP/1.1 responses. Every response carries Content-Length (no chunked responses:
/// handlers produce whole bodies), and `Connection: close` when the connection will close.
public enum HTTPResponseWriter {
    /// Writes status line and headers. `headers` are written as given (the caller excludes
    /// Content-Length, Connection and Transfer-Encoding, which the writer owns). The body
    /// follows with `OutputBuffer.append`; `contentLength` must equal its size (for HEAD the
    /// body is omitted but the length still describes it).
    public static func writeHead(status: Int, reason: String? = nil,
                                 headers: some Sequence<(String, String)>,
                                 contentLength: Int, keepAlive: Bool, into out: OutputBuffer) {
        out.append("HTTP/1.1 ")
        out.append(decimal: status)
        out.append(" ")
        out.append(reason ?? reasonPhrase(status))
        out.append("\r\n")
        for (name, value) in headers {
            out.append(name)
            out.append(": ")
            out.append(value)
            out.append("\r\n")
        }
        out.append("content-length: ")
        out.append(decimal: contentLength)
        out.append("\r\n")
        if !keepAlive { out.append("connection: close\r\n") }
        out.append("\r\n")
    }

    /// A whole plain-text response (used for errors: 400, 404, 500, 503, ...).
    public static func writeText(status: Int, _ text: String, keepAlive: Bool, isHead: Bool = false,
                                 into out: OutputBuffer) {
        let body = text.utf8.count
        writeHead(status: status, headers: [("content-type", "text/plain; charset=utf-8")],
                  contentLength: body, keepAlive: keepAlive, into: out)
        if !isHead { out.append(text) }
    }

    /// The standard reason phrase for a status code.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
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
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
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
