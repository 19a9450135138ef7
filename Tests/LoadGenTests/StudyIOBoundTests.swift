// StudyIOBoundTests: the I/O-bound experiment's rows (Scripts/measure-io-bound --json) in the report, and the "up to a third" verdict drawn from them.
import Foundation
import Measurement
import Testing

@Suite struct StudyIOBoundTests {
    func claim(_ r: StudyReport) -> ClaimRow { r.claims.first { $0.claim.hasPrefix("Syscalls and interrupts") }! }

    func sample(_ handler: String, _ io: String, _ isolation: String, user: Double, kernel: Double, rps: Double = 5000,
                       server: Double = 10, origin: Double = 2, requests: UInt64 = 10_000, enters: Double? = nil) -> IOBoundSample {
        IOBoundSample(handler: handler, io: io, isolation: isolation, seconds: 2, connections: 16, requests: requests, non2xx: 0,
                      requestsPerSecond: rps, userMicrosPerRequest: user, kernelMicrosPerRequest: kernel,
                      serverSyscallsPerRequest: server, originSyscallsPerRequest: origin, serverContextSwitchesPerRequest: 0.05,
                      ioUringEntersPerRequest: enters, sqesPerEnter: enters.map { 3 / $0 })
    }

    /// The figures of Kernel-notes/async-io.md's first table (commit 82a84e8).
    var measured: [IOBoundSample] {
        [sample("proxy", "uring", "isolate", user: 77.9, kernel: 21.7, server: 0.496, origin: 0.45, enters: 0.251),
         sample("proxy", "epoll", "process", user: 146.4, kernel: 49.6, server: 11.34, origin: 3.377),
         sample("proxy", "blocking", "process", user: 139.2, kernel: 63.9, server: 10.866, origin: 1.987),
         sample("fanout", "uring", "isolate", user: 256.5, kernel: 47.8, server: 0.989, origin: 0.623, enters: 0.253),
         sample("fanout", "blocking", "process", user: 398.0, kernel: 138.0, server: 27.179, origin: 7.6)]
    }

    @Test func verdictIsTheShareOfABlockingProcesssCPUThatTheRingRemovesFromTheKernel() {
        let c = claim(StudyBuilder.build(runs: [], ioBound: measured, node: nil, notes: StudyNotes()))
        // proxy: (63.9 - 21.7) / (139.2 + 63.9) = 20.8%; fanout: (138.0 - 47.8) / 536.0 = 16.8%.
        #expect(c.measured.contains("proxy: blocking-process 203.1 µs/req, kernel 63.9 µs (31%); uring-isolate kernel 21.7 µs: 21% of the process's CPU removed"),
                "\(c.measured)")
        #expect(c.measured.contains("fanout: blocking-process 536.0 µs/req, kernel 138.0 µs (26%); uring-isolate kernel 47.8 µs: 17% of the process's CPU removed"),
                "\(c.measured)")
        #expect(c.verdict == "partly")
        #expect(c.experiment.contains("(kernel_process - kernel_isolate) / (user + kernel)_process"))
        #expect(c.experiment.contains("proxy: blocking-process vs uring-isolate"), "the blocking process is preferred over the epoll-fronted one")
    }

    @Test func handlersThatDisagreeGetTheirOwnVerdicts() {
        let samples = [sample("proxy", "uring", "isolate", user: 50, kernel: 10),
                       sample("proxy", "epoll", "process", user: 60, kernel: 40),   // (40 - 10) / 100 = 30%: holds
                       sample("fanout", "uring", "isolate", user: 50, kernel: 38),
                       sample("fanout", "epoll", "process", user: 60, kernel: 40)]  // 2%: does not hold
        let c = claim(StudyBuilder.build(runs: [], ioBound: samples, node: nil, notes: StudyNotes()))
        #expect(c.verdict == "proxy: holds; fanout: does not hold", "\(c)")
        #expect(c.experiment.contains("proxy: epoll-process vs uring-isolate"), "any process row stands in for a blocking one")
    }

    @Test func repetitionsGiveMediansAndTheVerdictNamesASpreadThatReachesAnotherOne() {
        let samples = [sample("proxy", "uring", "isolate", user: 50, kernel: 10), sample("proxy", "uring", "isolate", user: 50, kernel: 14),
                       sample("proxy", "blocking", "process", user: 70, kernel: 30), sample("proxy", "blocking", "process", user: 66, kernel: 34)]
        let r = StudyBuilder.build(runs: [], ioBound: samples, node: nil, notes: StudyNotes())
        let row = r.ioBound!.first { $0.isolation == "isolate" }!
        #expect(row.runs == 2 && row.kernelMicrosPerRequest.median == 12 && row.kernelMicrosPerRequest.min == 10)
        // Median (32 - 12) / (32 + 68) = 20%; the repetitions allow (30 - 14) / 100 = 16% to (34 - 10) / 100 = 24%: partly.
        #expect(claim(r).verdict == "partly", "\(claim(r))")
        // A third process run (kernel 60, user 40) lets the removed share reach (60 - 10) / 100 = 50%.
        let wide = samples + [sample("proxy", "blocking", "process", user: 40, kernel: 60)]
        #expect(claim(StudyBuilder.build(runs: [], ioBound: wide, node: nil, notes: StudyNotes())).verdict == "partly (its spread reaches holds)")
    }

    @Test func withoutAnIsolateOnTheRingAndAProcessTheClaimIsNotTested() {
        let only = [sample("proxy", "uring", "isolate", user: 50, kernel: 10), sample("proxy", "epoll", "isolate", user: 50, kernel: 20)]
        let c = claim(StudyBuilder.build(runs: [], ioBound: only, node: nil, notes: StudyNotes()))
        #expect(c.verdict == "not tested (the I/O-bound experiment ran no pair of an isolate on io_uring and a process-model mode)")
        var notes = StudyNotes()
        notes.ioBoundMissing = "the I/O-bound experiment did not run: wrk is not installed"
        let none = claim(StudyBuilder.build(runs: [], ioBound: [], node: nil, notes: notes))
        #expect(none.verdict == "not tested (the I/O-bound experiment did not run: wrk is not installed)")
        #expect(none.measured == "—")
    }

    @Test func aRepetitionWithoutResponsesIsNamedMissingAndKeptOutOfTheMedians() {
        let samples = measured + [sample("proxy", "uring", "isolate", user: 0, kernel: 0, requests: 0)]
        let r = StudyBuilder.build(runs: [], ioBound: samples, node: nil, notes: StudyNotes())
        #expect(r.ioBound!.first { $0.handler == "proxy" && $0.io == "uring" }!.runs == 1)
        #expect(r.missing["I/O-bound proxy uring-isolate: one repetition"] == "no response in the measured window")
    }

    @Test func theReportCarriesTheIOBoundTableInMarkdownAndJSON() throws {
        let r = StudyBuilder.build(runs: [], ioBound: measured, node: nil, notes: StudyNotes())
        let md = r.markdown()
        #expect(md.contains("## I/O-bound handlers"))
        #expect(md.contains("| proxy | uring | isolate | 5000 | 77.9 | 21.7 | 22% | 0.496 | 0.450 | 0.946 | 0.050 | 0.251 | 12.0 | 0 |"), "\(md)")
        #expect(md.contains("| proxy | blocking | process | 5000 | 139.2 | 63.9 | 31% | 10.866 | 1.987 | 12.853 | 0.050 | n/a | n/a | 0 |"))
        let back = try JSONDecoder().decode(StudyReport.self, from: JSONEncoder().encode(r))
        #expect(back == r)
        #expect(!StudyFixture.isolatesOnly.markdown().contains("I/O-bound handlers"), "no table without the experiment")
    }

    /// The exact bytes Scripts/measure-io-bound --json writes (two rows, one without responses).
    @Test func loadReadsTheScriptsJSONFromTheStudyFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iobound-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = """
            [
            {"handler":"proxy","io":"uring","isolation":"isolate","seconds":2,"connections":16,"requests":19934,"non2xx":0,"requestsPerSecond":9967.0,"userMicrosPerRequest":77.900,"kernelMicrosPerRequest":21.700,"serverSyscallsPerRequest":0.4960,"originSyscallsPerRequest":0.4500,"serverContextSwitchesPerRequest":0.0530,"ioUringEntersPerRequest":0.2510,"sqesPerEnter":12.000},
            {"handler":"proxy","io":"epoll","isolation":"process","seconds":2,"connections":16,"requests":0,"non2xx":0,"requestsPerSecond":0,"userMicrosPerRequest":0,"kernelMicrosPerRequest":0,"serverSyscallsPerRequest":0,"originSyscallsPerRequest":0,"serverContextSwitchesPerRequest":0}
            ]
            """
        try json.write(toFile: dir + "/io-bound.r1.json", atomically: true, encoding: .utf8)
        let loaded = try StudyBuilder.load(directories: [dir])
        #expect(loaded.ioBound.count == 2)
        #expect(loaded.ioBound[0].ioUringEntersPerRequest == 0.251 && loaded.ioBound[1].sqesPerEnter == nil)
        try "not json".write(toFile: dir + "/io-bound.r2.json", atomically: true, encoding: .utf8)
        #expect(throws: StudyLoadError.self) { try StudyBuilder.load(directories: [dir]) }
    }
}
