// StudyClaimsTests: each claim judged only on like-with-like runs, with its evidence and spread, or "not tested" with the reason.
import Foundation
import Measurement
import Testing

@Suite struct StudyClaimsTests {
    func claim(_ r: StudyReport, _ prefix: String) -> ClaimRow { r.claims.first { $0.claim.hasPrefix(prefix) }! }

    @Test func coldStartClaimsUseTheSameClientMeasureForEveryModel() {
        let r = StudyFixture.isolatesOnly
        #expect(r.claims.count == 6)
        let start = claim(r, "An isolate starts in about 5 ms")
        #expect(start.measured.hasPrefix("server-side p50 3.60 ms"))
        #expect(start.verdict == "holds")
        // Client p50 of the sweep is 0.5 ms (latencies 1..1000 µs); Node 42 ms: 84x.
        let faster = claim(r, "An isolate starts 100x faster")
        #expect(faster.measured.contains("= 84x"), "\(faster.measured)")
        #expect(faster.verdict == "holds")
        let memory = claim(r, "An isolate needs a tenth")
        #expect(memory.verdict == "holds", "\(memory)")
    }

    @Test func ioBoundClaimIsNotTestedOnAHandlerThatDoesNoIO() {
        let c = claim(StudyFixture.isolatesOnly, "Syscalls and interrupts")
        #expect(c.verdict.hasPrefix("not tested"))
        #expect(c.verdict.contains("I/O-bound experiment has not run"))
        #expect(c.measured == "—", "the hello handler's kernel share is not evidence for this claim")
    }

    @Test func processClaimsCompareOnlyRunsOfTheSameLoadShape() {
        let r = StudyFixture.withProcessModel()
        let switches = claim(r, "Process context switches waste CPU")
        // Open loop at 2000 req/s on both sides; the closed-loop process run has no isolate partner.
        #expect(switches.experiment.contains("epoll-process-rate2000 vs epoll-isolate-rate2000, open loop at 2000 req/s"))
        #expect(!switches.experiment.contains("rate5000") && !switches.experiment.contains("epoll-process vs"))
        // 2.0 vs 0.0105 (0.0100–0.0110) switches per request.
        #expect(switches.measured.contains("open loop: 2.00 vs 0.0105 (0.0100–0.0110) switches/req = 190x (182–200x)"), "\(switches.measured)")
        #expect(switches.verdict == "holds")
        let cost = claim(r, "Isolates cost a third")
        #expect(cost.measured.contains("200.0 s vs 20.5 s (20.0–21.0) = 9.8x (9.5–10.0x)"), "\(cost.measured)")
        #expect(cost.verdict == "holds")
    }

    @Test func aVerdictSaysWhenItsSpreadReachesAnotherVerdict() {
        // Process CPU 1.5x-2.7x of the isolate's: the median says partly, the spread reaches holds.
        let runs = [StudyFixture.run("epoll-isolate.r1", io: "epoll", rps: 1000, syscalls: 1, switches: 10, cpuMicros: 1_000_000),
                    StudyFixture.run("epoll-isolate.r2", io: "epoll", rps: 1000, syscalls: 1, switches: 10, cpuMicros: 1_600_000),
                    StudyFixture.run("epoll-process.r1", io: "epoll", isolation: "process", rps: 1000, syscalls: 1, switches: 30, cpuMicros: 2_700_000),
                    StudyFixture.run("epoll-process.r2", io: "epoll", isolation: "process", rps: 1000, syscalls: 1, switches: 30, cpuMicros: 2_700_000)]
        let c = claim(StudyBuilder.build(runs: runs, node: nil, notes: StudyNotes()), "Isolates cost a third")
        #expect(c.verdict == "partly (its spread reaches holds)", "\(c)")
    }

    @Test func eachLoadShapeGetsItsOwnVerdictWhenTheyDisagree() {
        // Open loop at 1000 req/s: 2x the CPU (partly); closed loop: 7x (holds).
        let runs = [StudyFixture.run("epoll-isolate-rate1000.r1", io: "epoll", rps: 1000, syscalls: 1, switches: 10, cpuMicros: 2_000_000, rate: 1000),
                    StudyFixture.run("epoll-process-rate1000.r1", io: "epoll", isolation: "process", rps: 1000, syscalls: 1, switches: 50,
                                     cpuMicros: 4_000_000, rate: 1000),
                    StudyFixture.run("epoll-isolate.r1", io: "epoll", rps: 10_000, syscalls: 1, switches: 10, cpuMicros: 1_000_000),
                    StudyFixture.run("epoll-process.r1", io: "epoll", isolation: "process", rps: 2000, syscalls: 1, switches: 50, cpuMicros: 1_400_000)]
        let c = claim(StudyBuilder.build(runs: runs, node: nil, notes: StudyNotes()), "Isolates cost a third")
        #expect(c.verdict == "open loop at 1000 req/s: partly; closed loop: holds", "\(c)")
        #expect(c.measured.hasPrefix("open loop: 400.0 s vs 200.0 s = 2.0x; closed loop: 70.0 s vs 10.0 s = 7.0x"), "\(c.measured)")
    }

    @Test func withoutAComparableProcessRunTheClaimIsNotTested() {
        let c = claim(StudyFixture.isolatesOnly, "Process context switches")
        #expect(c.verdict == "not tested (process/cgi isolation not built: process, cgi)")
    }
}
