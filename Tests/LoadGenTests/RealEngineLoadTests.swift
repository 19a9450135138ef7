// RealEngineLoadTests: the load generator drives the project's own engines (epoll and io_uring) as a client.
import EngineEpoll
import EngineURing
import IOCore
import Measurement
import TestSupport
import Testing
@testable import LoadGen

@Suite(.serialized) struct RealEngineLoadTests {
    func run(_ make: @escaping @Sendable () throws -> any IOEngine, pipeline: Int) throws -> (LoadReport, Int) {
        let server = try TestHTTPServer()
        defer { server.stop() }
        var o = LoadOptions()
        o.port = server.port
        o.connections = 8
        o.pipeline = pipeline
        o.threads = 2
        o.requests = 2000
        o.tenants = 50
        let settings = LoadSettings(target: "", model: "closed", connections: 8, pipeline: pipeline, threads: 2, rate: nil,
                                    durationSeconds: nil, requestLimit: 2000, warmupSeconds: 0, tenants: 50, zipfExponent: 1,
                                    tenantOrder: "zipf", io: "engine", cpu: nil)
        let report = try LoadGenerator(options: o, makeEngine: make).run(settings: settings)
        return (report, server.requestsServed)
    }

    @Test(arguments: [1, 8]) func epollClientCompletesExactCount(pipeline: Int) throws {
        let (report, served) = try run({ try EpollEngine() }, pipeline: pipeline)
        #expect(report.requests == 2000)
        #expect(served == 2000)
        #expect(report.socketErrors.total == 0)
    }

    @Test(.enabled(if: URingAvailability.isAvailable, "io_uring unavailable: \(URingAvailability.unavailableReason ?? "")"),
          arguments: [1, 8])
    func uringClientCompletesExactCount(pipeline: Int) throws {
        let (report, served) = try run({ try URingEngine() }, pipeline: pipeline)
        #expect(report.requests == 2000)
        #expect(served == 2000)
        #expect(report.socketErrors.total == 0)
    }
}
