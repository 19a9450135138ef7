// AsyncHandlerTests: handlers that await real timers, in every I/O mode and isolation model: the
// loop serves others meanwhile, responses keep their order, and a handler that never settles
// gets 504 from --request-timeout-ms.
import Foundation
import Testing

func startAsyncServer(_ mode: Mode, _ extra: [String] = []) throws -> ServerProcess {
    try ServerProcess(mode.arguments + ["--tenants", AsyncTenants.folder, "--routing", "path", "--cpu-limit-ms", "1000"] + extra)
}

@Suite("asynchronous handlers: real timers")
struct AsyncHandlerTests {
    @Test(arguments: Mode.all)
    func sleepingHandlerBlocksNobody(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startAsyncServer(mode, ["--request-timeout-ms", "300000"])
        defer { server.stop() }
        // Warm both tenants (a cold start in the process models spawns a worker).
        _ = try request(server.port, "GET", "/hello/")
        _ = try request(server.port, "GET", "/sleeper/?ms=1")
        // One handler sleeps 200 ms, another far longer than the 100 requests below can take
        // on any machine: they must all complete while it is still pending.
        let sleeper = try Connection(port: server.port)
        sleeper.send("GET /sleeper/?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n")
        let longSleeper = try Connection(port: server.port)
        longSleeper.send("GET /sleeper/?ms=240000 HTTP/1.1\r\nHost: x\r\n\r\n")
        var othersDone = 0
        for _ in 0..<100 {
            let r = try request(server.port, "GET", "/hello/")
            if r.status == 200 && r.text == "hello\n" { othersDone += 1 }
        }
        #expect(othersDone == 100)
        #expect(!longSleeper.hasBufferedResponse(), "the long sleep answered before its time")
        let r = try sleeper.readResponse()
        #expect(r.status == 200)
        #expect(r.text.hasPrefix("slept "))
        let slept = Int(r.text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(slept >= 200, "the timer fired after \(slept) ms, before its 200 ms")
    }

    @Test(arguments: Mode.all)
    func pipelinedResponsesKeepTheirOrder(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startAsyncServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        c.send("GET /sleeper/?ms=150 HTTP/1.1\r\nHost: x\r\n\r\nGET /hello/ HTTP/1.1\r\nHost: x\r\n\r\nGET /sleeper/?ms=10 HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try c.readResponse()
        let second = try c.readResponse()
        let third = try c.readResponse()
        #expect(first.text.hasPrefix("slept "))
        #expect((Int(first.text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 150)
        #expect(second.text == "hello\n")
        #expect(third.text.hasPrefix("slept "))
    }

    @Test(arguments: Mode.all.filter { $0.isolation == .isolate })
    func manyRequestsOfOneTenantInFlight(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startAsyncServer(mode)
        defer { server.stop() }
        // A long sleep and a short one of the same tenant on two connections: the short one
        // answers first, so both were in flight at once.
        let long = try Connection(port: server.port)
        long.send("GET /sleeper/?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n")
        let short = try request(server.port, "GET", "/sleeper/?ms=20")
        #expect(short.text.hasPrefix("slept "))
        #expect(!long.hasBufferedResponse(), "the long sleep answered before the short one")
        let r = try long.readResponse()
        #expect(r.text.hasPrefix("slept "))
    }

    @Test(arguments: Mode.all)
    func intervalsTickAndClearedTimersNeverFire(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startAsyncServer(mode)
        defer { server.stop() }
        let ticks = try request(server.port, "GET", "/ticker/")
        #expect(ticks.status == 200)
        #expect(ticks.text == "ticks 3\n")
        let cleared = try request(server.port, "GET", "/cleared/")
        #expect(cleared.status == 500)
        #expect(cleared.text == "handler did not settle\n")
    }

    @Test(arguments: Mode.all)
    func handlerThatNeverSettlesGets504(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startAsyncServer(mode, ["--request-timeout-ms", "300"])
        defer { server.stop() }
        let r = try request(server.port, "GET", "/hanger/")
        #expect(r.status == 504)
        #expect(server.waitForLog("request timed out"))
        // The tenant still serves.
        let ok = try request(server.port, "GET", "/sleeper/?ms=5")
        #expect(ok.status == 200)
    }
}
