// StudyReportTests: the report renderer on a fixture of two modes (and a cold-start sweep).
import Foundation
import Measurement
import Testing

@Suite struct StudyReportTests {
    static func window(requests: UInt64, syscalls: UInt64, switches: UInt64, userMicros: UInt64, systemMicros: UInt64) -> WindowReport {
        let start = MeasurementSnapshot(monotonicNanos: 1_000_000_000, requestsCompleted: 0,
                                        syscalls: SyscallCounts(total: 0), softwareEvents: SoftwareEventCounts())
        var end = MeasurementSnapshot(monotonicNanos: 11_000_000_000, requestsCompleted: requests,
                                      syscalls: SyscallCounts(total: syscalls), softwareEvents: SoftwareEventCounts(contextSwitches: switches))
        end.rusageSelf = ResourceUsage(userMicros: userMicros, systemMicros: systemMicros)
        return WindowReport(start: start, end: end)
    }

    static func run(_ label: String, io: String, rps: Double, syscalls: UInt64, switches: UInt64, sweep: Bool = false,
                    colds: [ColdStartSample] = []) -> StudyRun {
        let requests = UInt64(rps * 10)
        let w = window(requests: requests, syscalls: syscalls, switches: switches, userMicros: 600_000, systemMicros: 400_000)
        let env = try! JSONDecoder().decode(Environment.self, from: Data("""
            {"hostname": "fixture", "timestamp": "2026-01-01T00:00:00Z", "kernelRelease": "6.18.0", "kernelVersion": "#1",
             "machine": "x86_64", "cpuModel": "Fixture CPU", "cpuCount": 2, "physicalCores": 1, "onlineCPUs": "0-1",
             "onlineCPUCount": 2, "mitigations": {"spectre_v2": "Mitigation: Retpolines"}, "liburingVersion": "2.3",
             "javaScriptCoreVersion": "2.50.1", "ioUringDisabled": 0, "perfEventParanoid": 2}
            """.utf8))
        let server = ServerWindowRecord(index: 1, trigger: "control", pid: 1, mode: ["io": io, "isolation": "isolate"], environment: env,
                                        window: w, serviceMicrosPerRequest: 12, responses: ["2xx": requests],
                                        coldStarts: ColdStartSummary(colds),
                                        memory: WindowMemory(rssStartBytes: 10_000_000, rssEndBytes: 10_000_000 + UInt64(colds.count) * 300_000,
                                                             pssEndKilobytes: nil, newTenants: colds.count), notes: [])
        var h = LatencyHistogram()
        for i in 1...1000 { h.record(nanos: UInt64(i) * 1000) }
        let settings = LoadSettings(target: "http://127.0.0.1:8080/", model: "closed", connections: 16, pipeline: 1, threads: 1,
                                    rate: nil, durationSeconds: 10, requestLimit: nil, warmupSeconds: 1, tenants: sweep ? 100 : 0,
                                    zipfExponent: 1, tenantOrder: sweep ? "sweep" : "zipf", io: "epoll", cpu: 0)
        let load = LoadReport(settings: settings, measuredSeconds: 10, requests: requests, latency: h.summary,
                              latencyPercentilesNanos: h.chartedPercentilesNanos, non2xx: 0, statusCounts: ["2xx": requests],
                              socketErrors: SocketErrorCounts(), bytesReceived: 0, unsentDue: 0, server: server)
        return StudyRun(label: label, load: load)
    }

    static var fixture: StudyReport {
        let colds = (0..<100).map { ColdStartSample(tenant: "t\($0)", createNanos: 1_000_000, preludeNanos: 2_000_000, scriptNanos: 500_000, firstCallNanos: 100_000) }
        let runs = [run("uring-isolate.r1", io: "uring", rps: 50_000, syscalls: 500_000, switches: 1000),
                    run("uring-isolate.r2", io: "uring", rps: 52_000, syscalls: 520_000, switches: 1000),
                    run("epoll-isolate.r1", io: "epoll", rps: 40_000, syscalls: 1_600_000, switches: 2000),
                    run("cold-isolate", io: "uring", rps: 10, syscalls: 1000, switches: 10, sweep: true, colds: colds)]
        var notes = StudyNotes()
        notes.notBuilt = ["process", "cgi"]
        notes.repetitions = 2
        let node = NodeColdStart(nodeVersion: "v20.0.0", samplesMillis: [40, 42, 44], rssKilobytes: [45_000, 46_000, 47_000])
        return StudyBuilder.build(runs: runs, node: node, notes: notes)
    }

    @Test func markdownOpensWithEnvironmentThenClaimsThenModesSideBySide() {
        let md = Self.fixture.markdown()
        let env = md.range(of: "## Environment")!
        let claims = md.range(of: "## Claims")!
        let modes = md.range(of: "## Per mode")!
        #expect(env.lowerBound < claims.lowerBound && claims.lowerBound < modes.lowerBound)
        #expect(md.contains("| Claim | Experiment | Measured here | Verdict |"))
        #expect(md.contains("Kernel: 6.18.0"))
        #expect(md.contains("JavaScriptCore 2.50.1"))
        for header in ["syscalls/req", "ctx switches/req", "kernel CPU share", "p50 ms", "p99 ms", "req/s"] {
            #expect(md.contains(header), "missing column \(header)")
        }
        // One row per mode, repetitions merged with their spread.
        #expect(md.contains("| uring-isolate | 51000 (50000–52000) |"))
        #expect(md.contains("| epoll-isolate | 40000 |"))
        let perMode = md[modes.upperBound..<md.range(of: "### Latency")!.lowerBound]
        #expect(!perMode.contains("| cold-isolate | "), "the cold-start sweep is not a throughput mode")
        #expect(md.contains("| cold-isolate | 100 | 3.60 |"))
    }

    @Test func perRequestFiguresAndClaimsComeFromTheRuns() {
        let r = Self.fixture
        let uring = r.modes.first { $0.mode == "uring-isolate" }!
        let epoll = r.modes.first { $0.mode == "epoll-isolate" }!
        #expect(abs(uring.syscallsPerRequest! - 1.0) < 1e-9)
        #expect(abs(epoll.syscallsPerRequest! - 4.0) < 1e-9)
        #expect(abs(uring.kernelShareOfCPU! - 0.4) < 1e-9)
        #expect(r.claims.count == 6)
        // 3.6 ms isolate start; node 42 ms is 11.7x: "partly"; memory 300000 B vs 46000 KiB.
        #expect(r.claims[0].measured.hasPrefix("3.60 ms"))
        #expect(r.claims[0].verdict == "holds")
        #expect(r.claims[1].verdict.hasPrefix("partly"))
        #expect(r.claims[2].verdict == "holds", "\(r.claims[2])")
        #expect(r.claims[4].verdict.contains("not built: process, cgi"))
        #expect(r.coldStarts.first?.bytesPerTenant == 300_000)
    }

    @Test func writesMarkdownJSONAndCharts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-report-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.fixture.write(to: dir)
        for f in ["report.md", "report.json", "syscalls-per-request.svg", "context-switches-per-request.svg", "kernel-share.svg",
                  "latency.svg", "cold-start.svg", "memory-per-tenant.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + f), "\(f) not written")
        }
        let svg = try String(contentsOfFile: dir + "/syscalls-per-request.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("uring-isolate") && svg.contains("epoll-isolate"))
        let back = try JSONDecoder().decode(StudyReport.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json")))
        #expect(back == Self.fixture)
    }
}

#if canImport(Glibc)
import Glibc
#endif
