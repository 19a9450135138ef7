// LoadRunTests: closed-loop counts are exact; open-loop latency counts from the due time.
import Foundation
import IOCore
import Measurement
import Testing
@testable import LoadGen

@Suite(.serialized) struct LoadRunTests {
    func settings(_ o: LoadOptions) -> LoadSettings {
        LoadSettings(target: "http://127.0.0.1:\(o.port)/", model: o.rate == nil ? "closed" : "open", connections: o.connections,
                     pipeline: o.pipeline, threads: o.threads, rate: o.rate, durationSeconds: nil, requestLimit: o.requests,
                     warmupSeconds: 0, tenants: o.tenants, zipfExponent: o.zipfExponent, tenantOrder: o.tenantOrder.rawValue,
                     io: "poll", cpu: nil)
    }

    @Test func closedLoopCompletesExactlyTheRequestsAskedFor() throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        var o = LoadOptions()
        o.port = server.port
        o.connections = 4
        o.pipeline = 4
        o.threads = 2
        o.requests = 1001
        o.tenants = 20
        let report = try LoadGenerator(options: o) { PollEngine() }.run(settings: settings(o))
        #expect(report.requests == 1001)
        #expect(server.requestsServed == 1001)
        #expect(report.statusCounts["2xx"] == 1001)
        #expect(report.non2xx == 0)
        #expect(report.socketErrors.total == 0)
        #expect(report.latency.count == 1001)
    }

    @Test func openLoopLatencyShowsAStallInTheRequestsQueuedBehindIt() throws {
        // The 20th request stalls the server for 300 ms; at 200 req/s on one connection about
        // 60 requests fall due meanwhile. Measured from their due times they are late too.
        let server = try TestHTTPServer { n in if n == 20 { usleep(300_000) } }
        defer { server.stop() }
        var o = LoadOptions()
        o.port = server.port
        o.connections = 1
        o.rate = 200
        o.durationNanos = 1_500_000_000
        let report = try LoadGenerator(options: o) { PollEngine() }.run(settings: settings(o))
        #expect(report.requests > 200)
        #expect(report.latency.maxNanos >= 250_000_000)
        // Well over one request is slow: the stall shows in the ones queued behind it.
        #expect(report.latency.p90Nanos >= 50_000_000)
    }

    @Test func closedLoopHidesTheSameStallToAllButOneRequest() throws {
        let server = try TestHTTPServer { n in if n == 20 { usleep(300_000) } }
        defer { server.stop() }
        var o = LoadOptions()
        o.port = server.port
        o.connections = 1
        o.requests = 300
        let report = try LoadGenerator(options: o) { PollEngine() }.run(settings: settings(o))
        #expect(report.requests == 300)
        #expect(report.latency.maxNanos >= 250_000_000)
        #expect(report.latency.p90Nanos < 50_000_000)
    }

    @Test func connectionRefusedIsCountedNotHung() throws {
        let fd = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        let port = Socket.localPort(fd)
        close(fd)
        var o = LoadOptions()
        o.port = port
        o.connections = 2
        o.durationNanos = 200_000_000
        let report = try LoadGenerator(options: o) { PollEngine() }.run(settings: settings(o))
        #expect(report.requests == 0)
        #expect(report.socketErrors.connect > 0)
    }
}

#if canImport(Glibc)
import Glibc
#endif
