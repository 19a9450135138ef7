// StudyFixture: load runs as `isoring load --json` writes them, built in memory for the report tests.
import Foundation
import Measurement

enum StudyFixture {
    static let environment = try! JSONDecoder().decode(Environment.self, from: Data("""
        {"hostname": "fixture", "timestamp": "2026-01-01T00:00:00Z", "kernelRelease": "6.18.0", "kernelVersion": "#1",
         "machine": "x86_64", "cpuModel": "Fixture CPU", "cpuCount": 2, "physicalCores": 1, "onlineCPUs": "0-1",
         "onlineCPUCount": 2, "mitigations": {"spectre_v2": "Mitigation: Retpolines"}, "liburingVersion": "2.3",
         "javaScriptCoreVersion": "2.50.1", "ioUringDisabled": 0, "perfEventParanoid": 2}
        """.utf8))

    static func window(requests: UInt64, syscalls: UInt64, switches: UInt64, userMicros: UInt64, systemMicros: UInt64) -> WindowReport {
        let start = MeasurementSnapshot(monotonicNanos: 1_000_000_000, requestsCompleted: 0,
                                        syscalls: SyscallCounts(total: 0), softwareEvents: SoftwareEventCounts())
        var end = MeasurementSnapshot(monotonicNanos: 11_000_000_000, requestsCompleted: requests,
                                      syscalls: SyscallCounts(total: syscalls), softwareEvents: SoftwareEventCounts(contextSwitches: switches))
        end.rusageSelf = ResourceUsage(userMicros: userMicros, systemMicros: systemMicros)
        return WindowReport(start: start, end: end)
    }

    /// One run: `rps` for 10 s, `cpuMicros` of server CPU in total (60% user), latencies 1..1000 µs
    /// scaled by `latencyScale`. A sweep is a cold-start run with one sample per tenant.
    static func run(_ label: String, io: String, isolation: String = "isolate", rps: Double, syscalls: UInt64, switches: UInt64,
                    cpuMicros: UInt64 = 1_000_000, rate: Double? = nil, sweep: Bool = false, colds: [ColdStartSample] = [],
                    prewarm: Int = 0, workerPSSKilobytes: UInt64? = nil, latencyScale: UInt64 = 1) -> StudyRun {
        let requests = UInt64(rps * 10)
        let w = window(requests: requests, syscalls: syscalls, switches: switches,
                       userMicros: cpuMicros * 6 / 10, systemMicros: cpuMicros * 4 / 10)
        var memory = WindowMemory(rssStartBytes: 10_000_000, rssEndBytes: 10_000_000 + UInt64(colds.count) * 300_000,
                                  pssEndKilobytes: nil, newTenants: colds.count)
        if let pss = workerPSSKilobytes {
            memory.workers = colds.count
            memory.workerPSSKilobytes = pss
        }
        let server = ServerWindowRecord(index: 1, trigger: "control", pid: 1,
                                        mode: ["io": io, "isolation": isolation, "cpuLimitClock": "thread", "isolateGroup": "per-tenant",
                                               "prewarm": String(prewarm)],
                                        environment: environment, window: w, serviceMicrosPerRequest: 12, responses: ["2xx": requests],
                                        coldStarts: ColdStartSummary(colds), memory: memory, notes: [])
        var h = LatencyHistogram()
        for i in 1...1000 { h.record(nanos: UInt64(i) * 1000 * latencyScale) }
        let settings = LoadSettings(target: "http://127.0.0.1:8080/", model: rate == nil ? "closed" : "open", connections: 16, pipeline: 1,
                                    threads: 1, rate: rate, durationSeconds: 10, requestLimit: nil, warmupSeconds: 1, tenants: sweep ? 100 : 0,
                                    zipfExponent: 1, tenantOrder: sweep ? "sweep" : "zipf", io: "epoll", cpu: 0)
        let load = LoadReport(settings: settings, measuredSeconds: 10, requests: requests, latency: h.summary,
                              latencyPercentilesNanos: h.chartedPercentilesNanos, non2xx: 0, statusCounts: ["2xx": requests],
                              socketErrors: SocketErrorCounts(), bytesReceived: 0, unsentDue: 0, server: server)
        return StudyRun(label: label, load: load)
    }

    static func colds(_ n: Int, createNanos: Int = 1_000_000) -> [ColdStartSample] {
        (0..<n).map { ColdStartSample(tenant: "t\($0)", createNanos: createNanos, preludeNanos: 2_000_000, scriptNanos: 500_000, firstCallNanos: 100_000) }
    }

    /// Two isolate modes (one repeated), an isolate cold sweep, no process model.
    static var isolatesOnly: StudyReport {
        let runs = [run("uring-isolate.r1", io: "uring", rps: 50_000, syscalls: 500_000, switches: 1000),
                    run("uring-isolate.r2", io: "uring", rps: 52_000, syscalls: 520_000, switches: 1000),
                    run("epoll-isolate.r1", io: "epoll", rps: 40_000, syscalls: 1_600_000, switches: 2000),
                    run("cold-isolate", io: "uring", rps: 10, syscalls: 1000, switches: 10, sweep: true, colds: colds(100))]
        var notes = StudyNotes()
        notes.notBuilt = ["process", "cgi"]
        notes.repetitions = 2
        let node = NodeColdStart(nodeVersion: "v20.0.0", samplesMillis: [40, 42, 44], rssKilobytes: [45_000, 46_000, 47_000])
        return StudyBuilder.build(runs: runs, node: node, notes: notes)
    }

    /// The process model and the isolate at the same open-loop rate, plus a closed-loop
    /// process run whose isolate partner only ran open loop at another rate.
    static func withProcessModel(processSwitches: UInt64 = 40_000, processCPU: UInt64 = 4_000_000) -> StudyReport {
        let runs = [run("epoll-isolate-rate2000.r1", io: "epoll", rps: 2000, syscalls: 80_000, switches: 200, cpuMicros: 400_000, rate: 2000),
                    run("epoll-isolate-rate2000.r2", io: "epoll", rps: 2000, syscalls: 80_000, switches: 220, cpuMicros: 420_000, rate: 2000),
                    run("epoll-process-rate2000.r1", io: "epoll", isolation: "process", rps: 2000, syscalls: 200_000,
                        switches: processSwitches, cpuMicros: processCPU, rate: 2000),
                    run("epoll-process-rate2000.r2", io: "epoll", isolation: "process", rps: 2000, syscalls: 200_000,
                        switches: processSwitches, cpuMicros: processCPU, rate: 2000),
                    run("epoll-isolate-rate5000.r1", io: "epoll", rps: 5000, syscalls: 80_000, switches: 10, cpuMicros: 100, rate: 5000),
                    run("epoll-process.r1", io: "epoll", isolation: "process", rps: 6000, syscalls: 200_000, switches: 90_000),
                    run("cold-isolate", io: "uring", rps: 10, syscalls: 1000, switches: 10, sweep: true, colds: colds(100)),
                    run("cold-isolate-pooled", io: "uring", rps: 10, syscalls: 1000, switches: 10, sweep: true, colds: colds(100, createNanos: 0),
                        prewarm: 100),
                    run("cold-process", io: "epoll", isolation: "process", rps: 10, syscalls: 1000, switches: 10, sweep: true,
                        colds: colds(100, createNanos: 40_000_000), workerPSSKilobytes: 600_000, latencyScale: 10),
                    run("cold-cgi", io: "epoll", isolation: "cgi", rps: 10, syscalls: 1000, switches: 10, sweep: true,
                        colds: colds(100, createNanos: 30_000_000), latencyScale: 8)]
        var notes = StudyNotes()
        notes.repetitions = 2
        notes.quick = true
        let node = NodeColdStart(nodeVersion: "v20.0.0", samplesMillis: [40, 42, 44], rssKilobytes: [45_000, 46_000, 47_000],
                                 pssKilobytes: [40_000, 41_000, 42_000])
        return StudyBuilder.build(runs: runs, node: node, notes: notes)
    }
}
