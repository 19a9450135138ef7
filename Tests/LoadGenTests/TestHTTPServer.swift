// TestHTTPServer: a tiny blocking HTTP/1.1 server on 127.0.0.1 for the load generator's tests.
import Foundation
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// Answers every request (counted by its blank line) with a fixed 200, on one thread per
/// connection. `stall(n)` is asked before answering the n-th request (1-based, over all
/// connections) and may sleep, to play a server that stops for a while.
final class TestHTTPServer: @unchecked Sendable {
    let listener: Int32
    let port: UInt16
    private let lock = NSLock()
    private var served = 0
    private var stopping = false
    private var clients: [Int32] = []
    private let group = DispatchGroup()
    let stall: @Sendable (Int) -> Void

    init(stall: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        port = Socket.localPort(listener)
        self.stall = stall
        group.enter()
        Thread.detachNewThread { [self] in
            defer { group.leave() }
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 { return }
                lock.lock()
                if stopping { lock.unlock(); close(fd); return }
                clients.append(fd)
                lock.unlock()
                group.enter()
                Thread.detachNewThread { [self] in
                    defer { group.leave() }
                    serve(fd)
                }
            }
        }
    }

    var requestsServed: Int { lock.lock(); defer { lock.unlock() }; return served }

    func serve(_ fd: Int32) {
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".utf8)
        var tail: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { return }
            var data = tail + buf[0..<n]
            var count = 0
            var i = 0
            while i + 3 < data.count {
                if data[i] == 13, data[i + 1] == 10, data[i + 2] == 13, data[i + 3] == 10 { count += 1; i += 4 } else { i += 1 }
            }
            data = Array(data[i...])
            tail = data
            for _ in 0..<count {
                lock.lock()
                served += 1
                let n = served
                lock.unlock()
                stall(n)
                let w = response.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
                if w <= 0 { return }
            }
        }
    }

    func stop() {
        lock.lock()
        stopping = true
        let fds = clients
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        group.wait()
        close(listener)
        for fd in fds { close(fd) }
    }
}
