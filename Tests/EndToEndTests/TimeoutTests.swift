// TimeoutTests: nginx's four timeouts (header, body gap, idle keep-alive, send) in every engine,
// the blocking engine included, and a flood of stalled connections that must not deny service.
import Foundation
import Testing

/// The value of a Prometheus counter from the metrics endpoint (-1 when absent).
func metricValue(_ port: UInt16, _ name: String) -> Int {
    guard let m = try? request(port, "GET", "/__isoring/metrics") else { return -1 }
    let line = m.text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
    return line.flatMap { Int($0.split(separator: " ")[1]) } ?? -1
}

@Suite("timeouts and stalled clients, every engine")
struct TimeoutTests {
    static let modes = IO.allCases.map { Mode(io: $0, isolation: .isolate) }
        + [Mode(io: .blocking, isolation: .process), Mode(io: .epoll, isolation: .cgi)]

    /// A head trickled one byte at a time is closed with 408 once the whole head has taken
    /// longer than --header-timeout-s, however steady the trickle (the idle timer alone would
    /// restart on every byte).
    @Test(arguments: modes)
    func trickledHeadGets408AtTheHeaderTimeout(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode, ["--header-timeout-s", "2", "--idle-timeout-s", "60"])
        defer { server.stop() }
        let c = try Connection(port: server.port)
        let head = Array("GET /hello/ HTTP/1.1\r\nHost: x\r\nX-Slow: \(String(repeating: "a", count: 200))\r\n\r\n".utf8)
        let started = Date()
        var sent = 0
        var fds = pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)
        while sent < head.count - 1 && poll(&fds, 1, 100) == 0 {
            c.send([head[sent]])
            sent += 1
        }
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(sent < head.count - 1, "the head was never cut off")
        #expect(Date().timeIntervalSince(started) >= 1.5)
        #expect(c.isClosedByPeer())
        #expect(try request(server.port, "GET", "/sw/").status == 200)
    }

    @Test(arguments: modes)
    func bodyThatPausesGets408AtTheBodyTimeout(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode, ["--body-timeout-s", "2"])
        defer { server.stop() }
        let c = try Connection(port: server.port)
        c.send("POST /echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        let r = try c.readResponse()
        #expect(r.status == 408)
        #expect(c.isClosedByPeer())
        #expect(try request(server.port, "GET", "/sw/").status == 200)
    }

    @Test(arguments: modes)
    func idleKeepAliveConnectionIsClosed(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode, ["--idle-timeout-s", "2"])
        defer { server.stop() }
        let c = try Connection(port: server.port)
        c.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().status == 200)
        let started = Date()
        #expect(c.isClosedByPeer())  // the client's own receive timeout is 10 s
        #expect(Date().timeIntervalSince(started) < 9)
    }

    /// A client that asks for 8 MB and reads nothing: the send stalls, and the connection is
    /// dropped after --send-timeout-s instead of holding its slot (or thread) forever.
    @Test(arguments: IO.allCases)
    func clientThatStopsReadingIsDroppedAtTheSendTimeout(_ io: IO) throws {
        try io.requireAvailable()
        let server = try startServer(Mode(io: io, isolation: .isolate), ["--send-timeout-s", "2"])
        defer { server.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = server.port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(rc == 0)
        let size = 8_000_000
        let text = "GET /big/?n=\(size) HTTP/1.1\r\nHost: x\r\n\r\n"
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        #expect(eventually(20) { metricValue(server.port, "isoring_send_timeouts_total") >= 1 })
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { #expect(n == 0 || errno == ECONNRESET, "the connection must end, not hang"); break }
            total += n
        }
        #expect(total < size, "the whole response arrived: nothing was dropped")
        #expect(try request(server.port, "GET", "/sw/").status == 200)
    }

    /// A few hundred connections that send half a head and stall: other clients are still
    /// served (in the blocking engine they wait off the connection threads, see HeadGate).
    @Test(arguments: IO.allCases)
    func stalledConnectionsDoNotDenyServiceToOthers(_ io: IO) throws {
        try io.requireAvailable()
        let server = try startServer(Mode(io: io, isolation: .isolate), ["--max-threads", "32"])
        defer { server.stop() }
        var stallers: [Connection] = []
        for _ in 0..<300 {
            let c = try Connection(port: server.port)
            c.send("GET /hello/ HTTP/1.1\r\nHo")
            stallers.append(c)
        }
        for i in 0..<50 {
            let r = try request(server.port, "GET", i % 2 == 0 ? "/hello/" : "/sw/")
            #expect(r.status == 200, "request \(i) got \(r.status)")
        }
        // Idle clients with nothing sent take no thread either.
        var silent: [Connection] = []
        for _ in 0..<100 { silent.append(try Connection(port: server.port)) }
        #expect(try request(server.port, "GET", "/sw/").status == 200)
        // And the stallers are still waiting, neither served nor refused.
        #expect(stallers.prefix(5).allSatisfy { $0.bytesArriving(within: 10) == 0 })
        _ = silent
    }
}
