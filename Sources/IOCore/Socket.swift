// Socket: the few socket set-up calls every engine and the load generator share.
import CLinux
#if canImport(Glibc)
import Glibc
#endif

public enum Socket {
    /// Creates a TCP listening socket on host:port with SO_REUSEADDR and, when `reusePort`,
    /// SO_REUSEPORT (one listener per loop thread, the kernel spreads connections).
    /// Port 0 picks a free port; read it back with `localPort`.
    public static func listen(host: String, port: UInt16, backlog: Int32 = 4096,
                              reusePort: Bool, nonBlocking: Bool) throws(IOError) -> Int32 {
        var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw IOError(errno: errno, what: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort {
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = try ipv4Address(host: host, port: port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            let e = errno
            close(fd)
            throw IOError(errno: e, what: "bind \(host):\(port)")
        }
        if Glibc.listen(fd, backlog) != 0 {
            let e = errno
            close(fd)
            throw IOError(errno: e, what: "listen")
        }
        return fd
    }

    /// A sockaddr_in for a dotted IPv4 address ("localhost" means 127.0.0.1).
    public static func ipv4Address(host: String, port: UInt16) throws(IOError) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        let h = host == "localhost" ? "127.0.0.1" : host
        if inet_pton(AF_INET, h, &addr.sin_addr) != 1 {
            throw IOError(errno: EINVAL, what: "not an IPv4 address: \(host)")
        }
        return addr
    }

    /// The port a socket is bound to.
    public static func localPort(_ fd: Int32) -> UInt16 {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return UInt16(bigEndian: addr.sin_port)
    }

    /// TCP_NODELAY on, as every HTTP server sets it: responses go out at once.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    public static func setNonBlocking(_ fd: Int32, _ on: Bool) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK)
    }
}
