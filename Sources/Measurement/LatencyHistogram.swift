// LatencyHistogram: HdrHistogram of nanosecond latencies, one per thread, merged for reports.
import Histogram

/// Latencies in nanoseconds over hdrhistogram-swift's Histogram (3 significant digits).
/// The range is fixed at creation so recording never allocates (no auto-resize on the
/// request path); values above the range are clamped to it and counted in `clampedCount`.
/// Not thread-safe: each thread records into its own and reports merge them.
public struct LatencyHistogram: Sendable {
    public private(set) var histogram: Histogram<UInt64>
    /// Values that were above `highestTrackableNanos` and recorded as that value.
    public private(set) var clampedCount: UInt64 = 0

    /// Default range: 1 ns to 100 s.
    public init(highestTrackableNanos: UInt64 = 100_000_000_000) {
        histogram = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableNanos,
                              numberOfSignificantValueDigits: .three)
    }

    public var highestTrackableNanos: UInt64 { histogram.highestTrackableValue }
    public var count: UInt64 { histogram.totalCount }

    @inline(__always)
    public mutating func record(nanos: UInt64) {
        if nanos > histogram.highestTrackableValue {
            clampedCount += 1
            histogram.record(histogram.highestTrackableValue)
        } else {
            histogram.record(nanos)
        }
    }

    /// Adds another thread's histogram. Ranges must match (they do when both use the default).
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        clampedCount += other.clampedCount
    }

    public mutating func reset() {
        histogram.reset()
        clampedCount = 0
    }

    /// Value at `percentile` (0...100) in nanoseconds; 0 when empty.
    public func nanos(atPercentile percentile: Double) -> UInt64 {
        histogram.totalCount == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }

    public var summary: LatencySummary {
        let empty = histogram.totalCount == 0
        return LatencySummary(count: histogram.totalCount, minNanos: empty ? 0 : histogram.min,
                              meanNanos: histogram.mean,
                              p50Nanos: nanos(atPercentile: 50), p90Nanos: nanos(atPercentile: 90),
                              p99Nanos: nanos(atPercentile: 99), p999Nanos: nanos(atPercentile: 99.9),
                              maxNanos: empty ? 0 : histogram.max, clampedCount: clampedCount)
    }
}

/// What a report keeps of a latency histogram. Percentile values are HdrHistogram's bucket
/// equivalents: within 0.1% of the recorded value.
public struct LatencySummary: Sendable, Codable, Equatable {
    public var count: UInt64
    public var minNanos: UInt64
    public var meanNanos: Double
    public var p50Nanos: UInt64
    public var p90Nanos: UInt64
    public var p99Nanos: UInt64
    public var p999Nanos: UInt64
    public var maxNanos: UInt64
    public var clampedCount: UInt64
}
