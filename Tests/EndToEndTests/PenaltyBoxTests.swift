// PenaltyBoxTests: a repeat CPU-limit offender is refused without running; others are not.
import Foundation
import Testing

@Suite("penalty box")
struct PenaltyBoxTests {
    /// The first runaway request runs into the watchdog (503 after about the CPU limit); the
    /// second offence boxes the tenant, so the next requests are refused without running with
    /// `retry-after`, counted in the metrics, logged once; a clean tenant is not affected.
    /// The box is made long (20 s) and the hold short (100 ms): each refusal is held for
    /// half of what is left of the box, so five in a row in a 250 ms box would see it end
    /// on a loaded machine.
    @Test(arguments: [["--io", "epoll"], ["--io", "blocking"], ["--io", "epoll", "--isolation", "process"],
                      ["--io", "epoll", "--isolate-group", "per-loop"]])
    func repeatOffenderIsRefusedWithoutRunning(_ flags: [String]) throws {
        let server = try ServerProcess(flags + ["--tenants", tenantsFolder, "--cpu-limit-ms", "200",
                                                "--penalty-box-base-ms", "20000", "--penalty-box-hold-ms", "100"])
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/runaway/").status == 503)
        #expect(try request(server.port, "GET", "/runaway/").status == 503)
        #expect(server.waitForLog("[runaway] penalty box"), "\(server.log)")
        var refused = 0
        for _ in 0..<5 {
            let r = try request(server.port, "GET", "/runaway/ok")
            #expect(r.status == 503)
            #expect(r.header("retry-after") != nil)
            if r.text.contains("refused") { refused += 1 }
        }
        #expect(refused == 5)
        #expect(try request(server.port, "GET", "/hello/").status == 200)
        // Isolate counters come from the event loops' runtimes: the process model's live in its
        // workers, and the blocking engine's thread-per-connection runtimes are not rendered.
        if !flags.contains("process") && !flags.contains("blocking") {
            #expect(metric(server, "isoring_isolate_penalty_box_entries_total") == 1)
            #expect(metric(server, "isoring_isolate_penalty_box_refusals_total") == 5)
        }
        // The log names the box once, not once per refused request.
        #expect(server.log.components(separatedBy: "penalty box").count - 1 == 1, "\(server.log)")
    }

    /// A handler that runs away after an await (in a timer's entry, outside the first
    /// dispatch) is stopped with 503 there; its stops still count, so the tenant is boxed.
    @Test(arguments: [["--io", "epoll"], ["--io", "uring"]])
    func runawayAfterAnAwaitIsBoxedToo(_ flags: [String]) throws {
        let server = try ServerProcess(flags + ["--tenants", tenantsFolder, "--cpu-limit-ms", "100"])
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/late-runaway/").status == 503)
        #expect(try request(server.port, "GET", "/late-runaway/").status == 503)
        let r = try request(server.port, "GET", "/late-runaway/")
        #expect(r.status == 503)
        #expect(r.header("retry-after") != nil, "\(r.text)\n\(server.log)")
        #expect(server.waitForLog("[late-runaway] penalty box"), "\(server.log)")
        #expect(try request(server.port, "GET", "/hello/").status == 200)
    }

    /// Flags that box `runaway` for 20 s at its second stop, so its refusals are held for
    /// half of that (10 s) unless `hold` is shorter.
    static func longBox(hold: Int) -> [String] {
        ["--tenants", tenantsFolder, "--cpu-limit-ms", "50", "--penalty-box-base-ms", "20000", "--penalty-box-hold-ms", "\(hold)"]
    }

    /// Two runaway requests: the second stop boxes the tenant.
    static func box(_ server: ServerProcess) throws {
        #expect(try request(server.port, "GET", "/runaway/").status == 503)
        #expect(try request(server.port, "GET", "/runaway/").status == 503)
        #expect(server.waitForLog("[runaway] penalty box"), "\(server.log)")
    }

    /// Sends a request for the boxed tenant on a new connection, where its refusal is held;
    /// waits until the server counts it held (where the front's metrics show it).
    static func holdOne(_ server: ServerProcess, metrics: Bool) throws -> Connection {
        let held = try Connection(port: server.port, timeoutSeconds: 30)
        held.send("GET /runaway/ok HTTP/1.1\r\nHost: x\r\n\r\n")
        if metrics { #expect(eventually(10) { metric(server, "isoring_isolate_penalty_box_held") == 1 }) }
        return held
    }

    /// The box's refusal, saying `connection`.
    static func expectRefusal(_ r: Response, connection: String) {
        #expect(r.status == 503)
        #expect(r.text.contains("refused"))
        #expect(Int(r.header("retry-after") ?? "") ?? 0 >= 1, "the box still holds")
        #expect(r.header("connection") == connection)
    }

    /// A boxed tenant's refusal is held back (a tarpit: a client that asks again at once is
    /// answered no sooner than the hold), on a keep-alive connection that stays usable.
    @Test(arguments: [["--io", "epoll"], ["--io", "uring"], ["--io", "blocking"]])
    func aRefusalArrivesAfterTheHold(_ flags: [String]) throws {
        let server = try ServerProcess(flags + Self.longBox(hold: 300))
        defer { server.stop() }
        try Self.box(server)
        let c = try Connection(port: server.port, timeoutSeconds: 30)
        for i in 0..<3 {
            let asked = Date()
            c.send("GET /runaway/ok HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            // A lower bound only: the loop's timer cannot fire before its deadline.
            #expect(Date().timeIntervalSince(asked) >= 0.3, "refusal \(i)")
            Self.expectRefusal(r, connection: "keep-alive")
        }
    }

    /// While a refusal is held, other tenants are served; SIGTERM's drain answers the held
    /// refusal at once (503, `connection: close`) instead of waiting out its hold: here the hold
    /// (10 s) is longer than the drain timeout (3 s), so without that the client would be cut
    /// off and the drain would not be clean.
    @Test(arguments: [["--io", "epoll"], ["--io", "uring"], ["--io", "blocking"], ["--io", "epoll", "--isolation", "process"],
                      ["--io", "epoll", "--isolate-group", "per-loop"]])
    func aDrainAnswersHeldRefusalsAtOnce(_ flags: [String]) throws {
        let server = try ServerProcess(flags + Self.longBox(hold: 30_000) + ["--drain-timeout-s", "3"])
        defer { server.stop() }
        try Self.box(server)
        // The process model's and the blocking engine's runtimes have no metrics in the front.
        let held = try Self.holdOne(server, metrics: !flags.contains("process") && !flags.contains("blocking"))
        #expect(try request(server.port, "GET", "/hello/").status == 200)
        #expect(!held.hasBufferedResponse(), "the refusal is held for 10 s")
        kill(server.process.processIdentifier, SIGTERM)
        Self.expectRefusal(try held.readResponse(), connection: "close")
        #expect(held.isClosedByPeer())
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0, "\(server.log)")
    }

    /// Held refusals are bounded: past `--penalty-box-max-held` a refusal is answered at once
    /// with `connection: close` and the connection closed, and counted.
    @Test(arguments: [["--io", "epoll"], ["--io", "uring"]])
    func pastTheCapARefusalIsImmediateAndCloses(_ flags: [String]) throws {
        let server = try ServerProcess(flags + Self.longBox(hold: 30_000) + ["--penalty-box-max-held", "1"])
        defer { server.stop() }
        try Self.box(server)
        let held = try Self.holdOne(server, metrics: true)
        let c = try Connection(port: server.port, timeoutSeconds: 30)
        c.send("GET /runaway/ok HTTP/1.1\r\nHost: x\r\n\r\n")
        Self.expectRefusal(try c.readResponse(), connection: "close")
        #expect(c.isClosedByPeer())
        #expect(metric(server, "isoring_isolate_penalty_box_hold_overflow_total") == 1)
        #expect(metric(server, "isoring_isolate_penalty_box_refusals_total") == 2)
        #expect(!held.hasBufferedResponse(), "the first refusal is still held")
        #expect(try request(server.port, "GET", "/hello/").status == 200)
    }

    @Test func offIsOff() throws {
        let server = try ServerProcess(["--io", "epoll", "--tenants", tenantsFolder, "--cpu-limit-ms", "100", "--penalty-box", "off"])
        defer { server.stop() }
        for _ in 0..<3 { #expect(try request(server.port, "GET", "/runaway/").status == 503) }
        #expect(try request(server.port, "GET", "/runaway/ok").text == "recovered")
    }
}
