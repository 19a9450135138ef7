// LoopbackClient: plain blocking sockets on 127.0.0.1 for tests that play the peer.
import Platform
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client; every call is a plain syscall so the peer's behaviour is obvious.
public final class LoopbackClient {
    public private(set) var fd: Int32

    /// Connects to 127.0.0.1:port (blocking).
    public init(port: UInt16) throws(IOError) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw IOError(errno: errno, what: "socket") }
        var addr = try Socket.ipv4Address(host: "127.0.0.1", port: port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let e = errno
            close(fd)
            throw IOError(errno: e, what: "connect 127.0.0.1:\(port)")
        }
        Socket.setNoDelay(fd)
        // A test must never hang on a peer that went away: reads give up after 20 s.
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { closeNow() }

    public func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads exactly `count` bytes, or fewer if the peer closes first.
    public func receive(exactly count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, count - got) }
            if n <= 0 { break }
            got += n
        }
        return Array(out.prefix(got))
    }

    /// Reads until the peer closes (0-byte read); returns everything read.
    public func receiveUntilClosed() -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 4096) }
            if n <= 0 { return out }
            out += chunk.prefix(n)
        }
    }

    /// Half-closes the sending side, so the server reads EOF.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    public func closeNow() {
        if fd >= 0 { close(fd); fd = -1 }
    }
}

/// Runs `body` on a new thread and lets the test join it (no Foundation needed).
public final class TestThread: @unchecked Sendable {
    private let thread: pthread_t

    public init(_ body: @escaping () -> Void) {
        nonisolated(unsafe) let run = body
        thread = try! spawnThread(name: "isoring-test") { run() }
    }

    private var joined = false

    /// Waits for the thread; safe to call more than once (from the creating thread).
    public func join() {
        if joined { return }
        joined = true
        pthread_join(thread, nil)
    }
}
