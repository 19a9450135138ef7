// FetchTests: fetch() subrequests to `isoring origin`, in every I/O mode and isolation model:
// proxy, parallel fan-out, read-modify-write, a refused backend, a forbidden address, the
// subrequest limit and AbortSignal.
import Foundation
import Testing

/// An `isoring origin` for one test, and a server allowed to reach it (and port 1, where
/// nothing listens).
func startFetchServer(_ mode: Mode, _ extra: [String] = []) throws -> (server: ServerProcess, origin: ServerProcess, backend: String) {
    let origin = try ServerProcess([], command: ["origin", "--port", "0"])
    let backend = "127.0.0.1:\(origin.port)"
    let server = try startAsyncServer(mode, ["--allow-backend", "\(backend),127.0.0.1:1"] + extra)
    return (server, origin, backend)
}

@Suite("fetch() subrequests through the loop")
struct FetchTests {
    @Test(arguments: Mode.all)
    func proxyAndFanOut(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let (server, origin, backend) = try startFetchServer(mode)
        defer { server.stop(); origin.stop() }
        for _ in 0..<3 {  // the second and third reuse kept-alive backend connections
            let r = try request(server.port, "GET", "/proxy/?backend=\(backend)&n=1000")
            #expect(r.status == 200)
            #expect(r.text == "200 1000 xxx\n")
        }
        let fan = try request(server.port, "GET", "/fanout/?backend=\(backend)")
        #expect(fan.status == 200)
        #expect(fan.json?["sizes"] as? [Int] == [10, 20, 30, 40])
        let rmw = try request(server.port, "GET", "/rmw/?backend=\(backend)")
        #expect(rmw.status == 200)
        #expect((rmw.json?["value"] as? [String: Any])?["n"] as? Int == 2)
        let pass = try request(server.port, "GET", "/passthrough/?backend=\(backend)&n=1000000")
        #expect(pass.status == 200)
        #expect(pass.body.count == 1_000_000)
        #expect(pass.body.allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test(arguments: Mode.all)
    func refusedAndForbiddenBackendsRejectThePromise(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let (server, origin, backend) = try startFetchServer(mode)
        defer { server.stop(); origin.stop() }
        // Allowed, but nothing listens on port 1: the connect fails, the promise rejects.
        let refused = try request(server.port, "GET", "/proxy/?backend=127.0.0.1:1")
        #expect(refused.status == 502)
        #expect(refused.text.contains("TypeError"))
        #expect(refused.text.contains("connection to 127.0.0.1:1 failed"))
        // Not on the operator's list.
        let forbidden = try request(server.port, "GET", "/proxy/?backend=127.0.0.2:\(origin.port)")
        #expect(forbidden.status == 502)
        #expect(forbidden.text.contains("not an allowed backend"))
        // The tenant still serves.
        let ok = try request(server.port, "GET", "/proxy/?backend=\(backend)&n=5")
        #expect(ok.text == "200 5 xxx\n")
    }

    @Test(arguments: Mode.all.filter { $0.isolation == .isolate })
    func subrequestLimitAndAbort(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let (server, origin, backend) = try startFetchServer(mode, ["--max-subrequests", "3"])
        defer { server.stop(); origin.stop() }
        let within = try request(server.port, "GET", "/many/?backend=\(backend)&count=3")
        #expect(within.text == "ok 3\n")
        let over = try request(server.port, "GET", "/many/?backend=\(backend)&count=5")
        #expect(over.status == 502)
        #expect(over.text.contains("ok 3; too many subrequests"))
        let aborted = try request(server.port, "GET", "/aborter/?backend=\(backend)")
        #expect(aborted.text == "aborted: AbortError\n")
    }
}
