// WindowReportTests: per-request arithmetic, zero requests, and explicit missing figures.
import Foundation
import IOCore
import Testing
@testable import Measurement

struct WindowReportTests {
    func snapshots() -> (MeasurementSnapshot, MeasurementSnapshot) {
        var e0 = EngineCounters(), e1 = EngineCounters()
        e0.enterCalls = 10; e1.enterCalls = 110
        e1.sqesSubmitted = 400; e1.completions = 300
        let start = MeasurementSnapshot(
            monotonicNanos: 1_000_000_000, requestsCompleted: 1_000, engine: e0,
            syscalls: SyscallCounts(total: 500, byName: ["io_uring_enter": 10, "read": 5]),
            softwareEvents: SoftwareEventCounts(contextSwitches: 7),
            rusageSelf: ResourceUsage(userMicros: 1_000, systemMicros: 1_000, voluntaryContextSwitches: 1),
            rusageChildren: ResourceUsage(),
            softirqs: SoftIRQCounts(perCPU: ["NET_RX": [10, 10], "NET_TX": [0, 0]]),
            interrupts: InterruptCounts(perCPU: [5, 5]), cpuTimes: CPUTimes())
        let end = MeasurementSnapshot(
            monotonicNanos: 3_000_000_000, requestsCompleted: 1_200, engine: e1,
            syscalls: SyscallCounts(total: 900, byName: ["io_uring_enter": 110, "read": 5]),
            softwareEvents: SoftwareEventCounts(contextSwitches: 47),
            rusageSelf: ResourceUsage(userMicros: 31_000, systemMicros: 11_000, voluntaryContextSwitches: 21),
            rusageChildren: ResourceUsage(userMicros: 0, systemMicros: 10_000),
            softirqs: SoftIRQCounts(perCPU: ["NET_RX": [60, 110], "NET_TX": [20, 0]]),
            interrupts: InterruptCounts(perCPU: [105, 5]), cpuTimes: CPUTimes())
        return (start, end)
    }

    @Test func dividesEachDeltaByTheRequestsInTheWindow() {
        let (start, end) = snapshots()
        let r = WindowReport(start: start, end: end)
        #expect(r.requests == 200)
        #expect(r.durationSeconds == 2)
        #expect(r.requestsPerSecond == 100)
        #expect(r.perRequest.syscalls == 2)  // 400 / 200
        #expect(r.perRequest.syscallsByName?["io_uring_enter"] == 0.5)
        #expect(r.perRequest.otherSyscalls == 1.5)  // (400 - 100) / 200
        #expect(r.perRequest.contextSwitches == 0.2)
        #expect(r.perRequest.userMicros == 150)  // 30 000 µs / 200
        #expect(r.perRequest.systemMicros == 100)  // (10 000 self + 10 000 children) / 200
        #expect(r.kernelShareOfCPU == 0.4)
        #expect(r.cpuSecondsPerMillionRequests == 250)  // 0.05 s / 200 req * 1e6
        #expect(r.perRequest.netRXSoftirqs == 0.75)
        #expect(r.perRequest.netTXSoftirqs == 0.1)
        #expect(r.perRequest.interrupts == 0.5)
        #expect(r.perRequest.ioUringEnters == 0.5)
        #expect(r.sqesPerEnter == 4)
        #expect(r.cqesPerEnter == 3)
        #expect(r.perRequest.voluntaryContextSwitches == 0.1)
        #expect(r.machineWide.contains("perRequest.netRXSoftirqs"))
        #expect(r.missing.isEmpty, "\(r.missing)")
    }

    @Test func zeroRequestsGiveMissingFiguresNotDivisionByZero() {
        var (start, end) = snapshots()
        end.requestsCompleted = start.requestsCompleted
        let r = WindowReport(start: start, end: end)
        #expect(r.requests == 0)
        #expect(r.requestsPerSecond == 0)
        #expect(r.perRequest.syscalls == nil)
        #expect(r.cpuSecondsPerMillionRequests == nil)
        #expect(r.missing["perRequest.syscalls"] == "no requests completed in the window")
        #expect(r.missing["cpuSecondsPerMillionRequests"] != nil)
        #expect(r.syscalls?.total == 400)  // raw deltas are still there
    }

    @Test func anUnavailableSourceIsMissingWithItsReason() throws {
        var (start, end) = snapshots()
        start.syscalls = nil; end.syscalls = nil
        end.engine = start.engine
        let why = "perf_event_open refused: EACCES"
        let r = WindowReport(start: start, end: end, unavailable: ["syscalls": why, "syscalls.epoll_pwait2": "no tracepoint"])
        #expect(r.perRequest.syscalls == nil)
        #expect(r.missing["perRequest.syscalls"] == why)
        #expect(r.missing["syscalls"] == why)
        #expect(r.missing["perRequest.syscallsByName.epoll_pwait2"] == "no tracepoint")
        #expect(r.missing["sqesPerEnter"] != nil)  // no enters: no batching figure
        #expect(r.perRequest.userMicros == 150)  // other sources unaffected
        let json = try JSONEncoder().encode(r)
        #expect(try JSONDecoder().decode(WindowReport.self, from: json) == r)
    }

    @Test func aLiveWindowMeasuresThisProcess() {
        var window = MeasurementWindow.open()
        window.start(requestsCompleted: 0)
        for _ in 0..<100 { _ = getppid() }
        let r = window.finish(requestsCompleted: 100)
        #expect(r.requests == 100)
        if window.syscallCounter != nil {
            #expect((r.syscalls?.total ?? 0) >= 100)
        } else {
            #expect(r.missing["perRequest.syscalls"] != nil)
        }
        #expect(r.durationSeconds > 0)
    }
}
