// HTTPClient: a small blocking HTTP/1.1 client over a real socket, for end-to-end tests.
import Foundation

/// A parsed response.
struct Response {
    var status: Int
    var reason: String
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
}

enum ClientError: Error { case connect(Int32), closed(partial: String), timeout, malformed(String) }

/// One TCP connection to the server. Reads use a receive timeout so a test can never hang.
final class Connection {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { let e = errno; close(fd); throw ClientError.connect(e) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Half-closes the sending side (the server sees end of input).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { throw ClientError.closed(partial: String(decoding: buffer, as: UTF8.self)) }
        if n < 0 { throw errno == EAGAIN ? ClientError.timeout : ClientError.closed(partial: String(decoding: buffer, as: UTF8.self)) }
        buffer += chunk[0..<n]
    }

    /// Reads one response (framed by Content-Length or chunked; HEAD responses have no body).
    func readResponse(head: Bool = false) throws -> Response {
        var headEnd: Int?
        while headEnd == nil {
            if let r = find([13, 10, 13, 10]) { headEnd = r } else { try fill() }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ClientError.malformed(headText) }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        buffer.removeFirst(headEnd! + 4)
        let reason = statusLine.count > 2 ? statusLine[2] : ""
        if !head, headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            let (body, ended) = try readChunks()
            guard ended else { throw ClientError.malformed("chunked body without its last chunk") }
            return Response(status: status, reason: reason, headers: headers, body: body)
        }
        var length = 0
        if !head, let cl = headers.first(where: { $0.0.lowercased() == "content-length" }) { length = Int(cl.1) ?? 0 }
        while buffer.count < length { try fill() }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return Response(status: status, reason: reason, headers: headers, body: body)
    }

    /// Reads the data chunks of a chunked body (after `readResponse(head: true)` took the head):
    /// all of them and the last chunk (`ended`), or only `maxChunks` data chunks. Throws
    /// `ClientError.closed` when the connection closes before the last chunk.
    func readChunks(maxChunks: Int = .max) throws -> (data: [UInt8], ended: Bool) {
        var data: [UInt8] = []
        var chunks = 0
        while chunks < maxChunks {
            var lineEnd = find([13, 10])
            while lineEnd == nil { try fill(); lineEnd = find([13, 10]) }
            let line = String(decoding: buffer[0..<lineEnd!], as: UTF8.self)
            guard let size = Int(line.split(separator: ";").first ?? "", radix: 16) else { throw ClientError.malformed(line) }
            buffer.removeFirst(lineEnd! + 2)
            if size == 0 {
                while buffer.count < 2 { try fill() }
                guard buffer[0] == 13 && buffer[1] == 10 else { throw ClientError.malformed("trailer after the last chunk") }
                buffer.removeFirst(2)
                return (data, true)
            }
            while buffer.count < size + 2 { try fill() }
            guard buffer[size] == 13 && buffer[size + 1] == 10 else { throw ClientError.malformed("chunk not followed by CRLF") }
            data += buffer[0..<size]
            buffer.removeFirst(size + 2)
            chunks += 1
        }
        return (data, false)
    }

    /// Reads until the server closes the connection (a body framed by the close).
    func readUntilClose() throws -> [UInt8] {
        while true {
            do { try fill() } catch ClientError.closed { break }
        }
        defer { buffer.removeAll() }
        return buffer
    }

    /// True when bytes of a response are already waiting (checked without blocking).
    func hasBufferedResponse() -> Bool {
        if !buffer.isEmpty { return true }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        if n > 0 { buffer.append(byte); return true }
        return false
    }

    /// True when the server has closed the connection (reads return end of file).
    func isClosedByPeer() -> Bool {
        if !buffer.isEmpty { return false }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        if n > 0 { buffer.append(byte); return false }
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] {
            if Array(buffer[i..<(i + pattern.count)]) == pattern { return i }
        }
        return nil
    }
}

/// One request on a fresh connection.
func request(_ port: UInt16, _ method: String = "GET", _ path: String, host: String = "127.0.0.1",
             headers: [String] = [], body: String? = nil) throws -> Response {
    let c = try Connection(port: port)
    var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
    for h in headers { text += h + "\r\n" }
    if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
    text += "\r\n" + (body ?? "")
    c.send(text)
    return try c.readResponse(head: method == "HEAD")
}
