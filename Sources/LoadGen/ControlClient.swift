// ControlClient: one blocking HTTP/1.1 request (the server's control endpoints), off the hot path.
#if canImport(Glibc)
import Glibc
#endif
import IOCore

/// Sends one request with `Connection: close` and reads the response to EOF. Used to start
/// and stop the server's measurement window, before and after the measured part.
public enum ControlClient {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    public static func request(host: String, port: UInt16, method: String, path: String,
                               timeoutSeconds: Int = 30) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LoadError(message: "socket: errno \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = try Socket.ipv4Address(host: host, port: port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw LoadError(message: "connect \(host):\(port): \(String(cString: strerror(errno)))") }
        let text = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard n > 0 else { throw LoadError(message: "write: errno \(errno)") }
            sent += n
        }
        bytes.removeAll()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { throw LoadError(message: "read: errno \(errno)") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        guard let split = find(Array("\r\n\r\n".utf8), in: bytes), bytes.count >= 12,
              let status = Int(String(decoding: bytes[9..<12], as: UTF8.self)) else {
            throw LoadError(message: "malformed response from \(method) \(path)")
        }
        return Response(status: status, body: Array(bytes[(split + 4)...]))
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
