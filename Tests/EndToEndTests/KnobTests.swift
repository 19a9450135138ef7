// KnobTests: every io_uring knob the kernel supports, and more than one loop, serve real HTTP.
import Foundation
import Testing

/// A knob combination, shown by its flags in the test name.
struct Knobs: CustomTestStringConvertible, Sendable {
    var flags: [String]
    var testDescription: String { flags.joined(separator: " ") }
}

@Suite("io_uring knobs and threads")
struct KnobTests {
    static let combinations: [Knobs] = [
        ["--io", "uring", "--sqpoll"], ["--io", "uring", "--defer-taskrun"], ["--io", "uring", "--coop-taskrun", "off"],
        ["--io", "uring", "--fixed-files"], ["--io", "uring", "--multishot", "off"],
        ["--io", "uring", "--buf-ring", "off"], ["--io", "uring", "--send-zc"],
        ["--io", "uring", "--batch", "1", "--ring-entries", "8", "--buffers", "4"],
        ["--io", "uring", "--defer-taskrun", "--fixed-files", "--send-zc"],
        ["--io", "uring", "--threads", "2"], ["--io", "epoll", "--threads", "2"],
    ].map { Knobs(flags: $0) }

    @Test(arguments: combinations)
    func servesWithKnobs(_ knobs: Knobs) throws {
        if knobs.flags.contains("uring") { try IO.uring.requireAvailable() }
        let server = try ServerProcess(knobs.flags + ["--tenants", tenantsFolder])
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/hello/").text == "hello from the module form\n")
        let c = try Connection(port: server.port)
        var burst = ""
        for i in 0..<8 { burst += "POST /echo/\(i) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok" }
        c.send(burst)
        for i in 0..<8 {
            let r = try c.readResponse()
            #expect(r.json?["pathname"] as? String == "/echo/\(i)")
        }
        // Several connections at once, each with keep-alive.
        let conns = try (0..<6).map { _ in try Connection(port: server.port) }
        for round in 0..<3 {
            for c in conns { c.send("GET /sw/\(round) HTTP/1.1\r\nHost: x\r\n\r\n") }
            for c in conns { #expect(try c.readResponse().status == 200) }
        }
    }

    @Test func refusedKnobCombinationIsNamed() throws {
        try IO.uring.requireAvailable()
        let (status, output) = try runIsoring(["serve", "--port", "0", "--sqpoll", "--coop-taskrun", "on"])
        #expect(status != 0)
        #expect(output.contains("--coop-taskrun") || output.contains("--sqpoll"), "\(output)")
    }

    @Test func uringKnobNeedsUring() throws {
        let (status, output) = try runIsoring(["serve", "--port", "0", "--io", "epoll", "--sqpoll"])
        #expect(status != 0)
        #expect(output.contains("--io uring"))
    }
}

@Suite("CPU limit clock")
struct CPULimitClockTests {
    @Test(arguments: ["lazy", "thread", "wall"], ["isolate", "process"])
    func runawayHandlerIsStoppedWithEitherClock(_ clock: String, _ isolation: String) throws {
        let server = try ServerProcess(["--tenants", tenantsFolder, "--cpu-limit-ms", "100", "--cpu-limit-clock", clock,
                                        "--io", "epoll", "--isolation", isolation])
        defer { server.stop() }
        let started = Date()
        #expect(try request(server.port, "GET", "/runaway/").status == 503)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try request(server.port, "GET", "/runaway/ok").text == "recovered")
        #expect(try request(server.port, "GET", "/hello/").status == 200)
    }
}

@Suite("isolate groups")
struct IsolateGroupTests {
    @Test(arguments: ["per-tenant", "per-loop"])
    func tenantsStayApartAndLimitsHold(_ group: String) throws {
        let server = try ServerProcess(["--tenants", tenantsFolder, "--cpu-limit-ms", "100", "--isolate-group", group])
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/setter/").text == "set")
        #expect(try request(server.port, "GET", "/getter/").text == #"{"secret":"undefined","polluted":false}"#)
        #expect(try request(server.port, "GET", "/thrower/").status == 500)
        #expect(try request(server.port, "GET", "/thrower/ok").text == "still fine")
        #expect(try request(server.port, "GET", "/runaway/").status == 503)
        #expect(try request(server.port, "GET", "/runaway/ok").text == "recovered")
        #expect(try request(server.port, "GET", "/hello/").text == "hello from the module form\n")
    }

    @Test func perLoopGroupRefusesPerTenantHeapLimits() throws {
        let (status, output) = try runIsoring(["serve", "--port", "0", "--isolate-group", "per-loop", "--tenant-heap-mb", "64"], timeout: 10)
        #expect(status != 0)
        #expect(output.contains("--tenant-heap-mb"))
    }
}

@Suite("idle timeout")
struct IdleTimeoutTests {
    @Test(arguments: [IO.uring, IO.epoll, IO.blocking])
    func silentConnectionIsClosedAndOthersKeepWorking(_ io: IO) throws {
        try io.requireAvailable()
        let server = try ServerProcess(["--io", io.rawValue, "--tenants", tenantsFolder, "--idle-timeout-s", "1", "--header-timeout-s", "1"])
        defer { server.stop() }
        let silent = try Connection(port: server.port)
        let halfway = try Connection(port: server.port)
        halfway.send("GET /hello/ HTTP/1.1\r\nHost: x\r\n")   // never finishes its head
        // Each read blocks until the server closes (at 1-2 s), or fails at the client's 10 s limit.
        #expect(silent.isClosedByPeer())
        // A head that never finishes is the header timeout's: 408, then close.
        #expect(try halfway.readResponse().status == 408)
        #expect(halfway.isClosedByPeer())
        // A connection that keeps talking is not cut, and new ones are served.
        #expect(try request(server.port, "GET", "/hello/").status == 200)
    }
}
