// StudyComparisonTests: `isoring report --compare`: two runs side by side with B/A ratios.
import Foundation
import Measurement
import Testing

@Suite struct StudyComparisonTests {
    @Test func modesOfTheSameShapeGetRatiosAndClaimsSitSideBySide() {
        let a = StudyFixture.isolatesOnly
        let b = StudyBuilder.build(runs: [StudyFixture.run("uring-isolate.r1", io: "uring", rps: 75_000, syscalls: 750_000, switches: 1000),
                                          StudyFixture.run("epoll-isolate.r1", io: "epoll", rps: 40_000, syscalls: 1_600_000, switches: 2000, rate: 40_000)],
                                   node: nil, notes: StudyNotes())
        let md = StudyComparison.markdown(a, "before", b, "after")
        #expect(md.hasPrefix("# Isoring study: before vs after"))
        // 75,000 vs the median 51,000 (50,000–52,000): 1.5x, range 1.4–1.5x.
        #expect(md.contains("| uring-isolate | closed loop, 16 connections | 51000 (50000–52000) | 75000 | 1.5x (1.4–1.5x) |"), "\(md)")
        #expect(md.contains("Not compared (absent from one run or a different load shape): A epoll-isolate; B epoll-isolate"))
        #expect(md.contains("| An isolate starts in about 5 ms | holds | not tested (no isolate cold-start run) |"))
    }
}
