// RunawayConcurrencyTests: issue 15's denial of service, in every I/O engine and isolation model.
import Foundation
import Testing

/// Every engine with every isolation model, plus the shared-group and wall-clock variants of
/// the isolate model; modes this kernel cannot run (io_uring disabled) are left out.
struct HostileMode: CustomTestStringConvertible, Sendable {
    var flags: [String]
    var testDescription: String { flags.joined(separator: " ") }

    static let all: [HostileMode] = {
        var modes = IO.allCases.flatMap { io in Isolation.allCases.map { HostileMode(flags: Mode(io: io, isolation: $0).arguments) } }
        modes.append(HostileMode(flags: ["--io", "uring", "--isolate-group", "per-loop"]))
        modes.append(HostileMode(flags: ["--io", "epoll", "--isolate-group", "per-loop", "--cpu-limit-clock", "wall"]))
        return modes.filter { !$0.flags.contains("uring") || IO.uring.skipReason == nil }
    }()
}

@Suite("issue 15: concurrent runaway handlers")
struct RunawayConcurrencyTests {
    /// Four runaway requests arrive at once, three times over (by the third run JavaScriptCore
    /// has compiled the loop with its optimising JIT, where the watchdog once could not reach
    /// it: the loop thread spun for ever, every tenant on it stalled, SIGTERM did nothing).
    /// Each must get its 503 within the receive timeout, a clean tenant asked at the same time
    /// must answer, and SIGTERM must still end the server with status 0.
    @Test(arguments: HostileMode.all)
    func concurrentRunawaysAllGet503AndTheServerStaysServing(_ mode: HostileMode) throws {
        // The penalty box is off so that every runaway request really runs into the watchdog.
        let server = try ServerProcess(mode.flags + ["--tenants", tenantsFolder, "--cpu-limit-ms", "50", "--penalty-box", "off"])
        defer { server.stop() }
        for round in 0..<3 {
            let runaways = try (0..<4).map { _ in try Connection(port: server.port, timeoutSeconds: 8) }
            for c in runaways { c.send("GET /runaway/ HTTP/1.1\r\nHost: x\r\n\r\n") }
            let clean = try Connection(port: server.port, timeoutSeconds: 8)
            clean.send("GET /hello/ HTTP/1.1\r\nHost: x\r\n\r\n")
            for (i, c) in runaways.enumerated() {
                do {
                    #expect(try c.readResponse().status == 503, "round \(round), request \(i)")
                } catch {
                    Issue.record("round \(round), request \(i): \(error)\nserver log:\n\(server.log)")
                    return
                }
            }
            #expect(try clean.readResponse().text == "hello from the module form\n", "round \(round)")
        }
        #expect(try request(server.port, "GET", "/runaway/ok").text == "recovered")
        let exit = terminate(server, within: 8)
        #expect(exit == 0, "after SIGTERM: \(exit.map(String.init) ?? "still running")\n\(server.log)")
    }
}

/// Sends SIGTERM and waits up to `seconds` for the server to exit; returns its exit status,
/// or nil if it is still running (the caller's `stop()` then kills it).
func terminate(_ server: ServerProcess, within seconds: TimeInterval) -> Int32? {
    kill(server.process.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(seconds)
    while server.process.isRunning && Date() < deadline { usleep(10_000) }
    if server.process.isRunning { return nil }
    server.process.waitUntilExit()
    return server.process.terminationReason == .exit ? server.process.terminationStatus : 128 + server.process.terminationStatus
}
