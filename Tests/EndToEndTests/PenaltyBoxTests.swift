// PenaltyBoxTests: a repeat CPU-limit offender is refused without running; others are not.
import Foundation
import Testing

@Suite("penalty box")
struct PenaltyBoxTests {
    /// The first runaway request runs into the watchdog (503 after about the CPU limit); the
    /// second offence boxes the tenant, so the next requests are refused at once with
    /// `retry-after`, counted in the metrics, logged once; a clean tenant is not affected.
    @Test(arguments: [["--io", "epoll"], ["--io", "blocking"], ["--io", "epoll", "--isolation", "process"],
                      ["--io", "epoll", "--isolate-group", "per-loop"]])
    func repeatOffenderIsRefusedWithoutRunning(_ flags: [String]) throws {
        let server = try ServerProcess(flags + ["--tenants", tenantsFolder, "--cpu-limit-ms", "200"])
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

    @Test func offIsOff() throws {
        let server = try ServerProcess(["--io", "epoll", "--tenants", tenantsFolder, "--cpu-limit-ms", "100", "--penalty-box", "off"])
        defer { server.stop() }
        for _ in 0..<3 { #expect(try request(server.port, "GET", "/runaway/").status == 503) }
        #expect(try request(server.port, "GET", "/runaway/ok").text == "recovered")
    }
}
