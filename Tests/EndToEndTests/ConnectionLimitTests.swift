// ConnectionLimitTests: --max-connections refuses at once and counts; running out of file
// descriptors (EMFILE on accept) backs off and keeps serving once descriptors come back.
import Foundation
import Testing

/// Descriptors a process has open, from /proc/PID/fd.
func openDescriptors(_ pid: Int32) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
}

@Suite("connection limits, every engine")
struct ConnectionLimitTests {
    @Test(arguments: IO.allCases)
    func connectionsPastTheLimitAreClosedAtOnceAndCounted(_ io: IO) throws {
        try io.requireAvailable()
        let server = try startServer(Mode(io: io, isolation: .isolate), ["--max-connections", "4"])
        defer { server.stop() }
        var held: [Connection] = []
        for _ in 0..<4 {
            let c = try Connection(port: server.port)
            c.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try c.readResponse().status == 200)
            held.append(c)
        }
        let extra = try Connection(port: server.port)
        extra.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
        // Closed at once, with no response: the client learns right away, not at a timeout.
        let started = Date()
        #expect(extra.isClosedByPeer())
        #expect(Date().timeIntervalSince(started) < 5)
        held.removeAll()  // closing them frees their slots
        #expect(eventually(10) { metricValue(server.port, "isoring_connections_refused_total") >= 1 })
        #expect(try request(server.port, "GET", "/sw/").status == 200)
    }

    /// With RLIMIT_NOFILE low (the server started under prlimit: io_uring takes the limit
    /// when the multishot accept is armed, so lowering it later would not reach it), accept
    /// fails with EMFILE: the server logs it, backs off, and serves the waiting clients as
    /// soon as descriptors are free again.
    @Test(arguments: IO.allCases)
    func acceptOutOfDescriptorsBacksOffAndRecovers(_ io: IO) throws {
        try io.requireAvailable()
        let server = try ServerProcess(Mode(io: io, isolation: .isolate).arguments + ["--tenants", tenantsFolder],
                                       launcher: ["/usr/bin/prlimit", "--nofile=48:48", "--"])
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/sw/").status == 200)  // warm: the isolate is made
        var hogs: [Connection] = []
        for _ in 0..<60 {
            let c = try Connection(port: server.port)  // the kernel's backlog takes them all
            c.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
            hogs.append(c)
        }
        #expect(server.waitForLog("accept failed", timeout: 10), "\(server.log)")
        // Those served before the descriptors ran out are dropped, which frees descriptors.
        var waiting: [Connection] = []
        for c in hogs where c.bytesArriving(within: 100) == 0 { waiting.append(c) }
        #expect(!waiting.isEmpty, "no client had to wait: the limit was not reached")
        hogs.removeAll()
        var served = 0
        for c in waiting.prefix(8) where (try? c.readResponse().status) == 200 { served += 1 }
        #expect(served == min(8, waiting.count))
        #expect(try request(server.port, "GET", "/sw/").status == 200)
    }
}
