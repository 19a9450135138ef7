// LatencyHistogramTests: percentiles on known data, merging and clamping.
import Testing
@testable import Measurement

struct LatencyHistogramTests {
    @Test func percentilesOfOneToTenThousandMicroseconds() {
        var h = LatencyHistogram()
        for us in 1...10_000 { h.record(nanos: UInt64(us) * 1_000) }
        let s = h.summary
        #expect(s.count == 10_000)
        // HdrHistogram with 3 significant digits: within 0.1%.
        func near(_ v: UInt64, _ expected: Double) -> Bool { abs(Double(v) - expected) <= expected * 0.001 }
        #expect(near(s.p50Nanos, 5_000_000))
        #expect(near(s.p90Nanos, 9_000_000))
        #expect(near(s.p99Nanos, 9_900_000))
        #expect(near(s.p999Nanos, 9_990_000))
        #expect(near(s.maxNanos, 10_000_000))
        #expect(abs(s.meanNanos - 5_000_500) <= 5_000_500 * 0.001)
    }

    @Test func mergingThreadHistogramsEqualsRecordingIntoOne() {
        var a = LatencyHistogram(), b = LatencyHistogram(), both = LatencyHistogram()
        for v in 1...500 { a.record(nanos: UInt64(v * 100)); both.record(nanos: UInt64(v * 100)) }
        for v in 501...1000 { b.record(nanos: UInt64(v * 100)); both.record(nanos: UInt64(v * 100)) }
        a.merge(b)
        #expect(a.summary == both.summary)
    }

    @Test func valuesAboveTheRangeAreClampedAndCounted() {
        var h = LatencyHistogram(highestTrackableNanos: 1_000_000)
        h.record(nanos: 5_000_000)
        #expect(h.summary.clampedCount == 1)
        #expect(h.count == 1)
    }

    @Test func anEmptyHistogramSummarisesToZeros() {
        let s = LatencyHistogram().summary
        #expect(s.count == 0 && s.p99Nanos == 0 && s.maxNanos == 0 && s.minNanos == 0)
    }
}
