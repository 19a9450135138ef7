// StudyChartTests: the SVG charts: log axes where values span decades, full labels, groups, the percentile plot's axis.
import Foundation
import Measurement
import Testing

@Suite struct StudyChartTests {
    @Test func valuesThatSpanDecadesGetALogAxisAndEveryBarStaysVisible() {
        let groups = [ChartGroup(title: "isolate model, io_uring", bars: [ChartBar(label: "uring-loopgroup-wallclock-isolate", values: [Spread(30_000)])]),
                      ChartGroup(title: "cgi model, epoll", bars: [ChartBar(label: "epoll-cgi", values: [Spread(30)])])]
        let svg = SVGChart.bars(title: "Requests per second", unit: "req/s", series: ["req/s"], groups: groups)
        #expect(svg.contains("req/s, log scale"))
        #expect(svg.contains(">uring-loopgroup-wallclock-isolate</text>"), "labels are never cut")
        #expect(svg.contains(">isolate model, io_uring</text>") && svg.contains(">cgi model, epoll</text>"))
        // On a log axis from 10 to 100k, 30 req/s is a visible bar, not a sliver.
        let widths = svg.components(separatedBy: "width=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(widths.contains { $0 > 40 && $0 < 100 }, "\(widths)")
        // The label column is wide enough for the longest label.
        let labelX = svg.components(separatedBy: "text-anchor=\"end\"").first!.components(separatedBy: "x=\"").last!
        #expect(Double(labelX.prefix { $0 != "\"" })! >= Double("uring-loopgroup-wallclock-isolate".count) * 6.5)
    }

    @Test func closeValuesKeepALinearAxisAndMissingValuesSayNA() {
        let svg = SVGChart.bars(title: "t", unit: "µs", series: ["a"],
                                groups: [ChartGroup(title: "g", bars: [ChartBar(label: "x", values: [Spread(20)]), ChartBar(label: "y", values: [nil])])])
        #expect(svg.contains("µs, linear scale"))
        #expect(svg.contains(">n/a</text>"))
    }

    @Test func repetitionsDrawAMinMaxWhisker() {
        let svg = SVGChart.bars(title: "t", unit: "", series: ["a"],
                                groups: [ChartGroup(title: "g", bars: [ChartBar(label: "x", values: [Spread([10, 12, 15])])])])
        #expect(svg.contains("<path d=\"M"))
    }

    @Test func percentilePlotStretchesTheTail() {
        let line = PercentileLine(label: "uring-isolate-rate5000", points: [(50, 1), (90, 2), (99, 5), (99.9, 20), (99.99, 80)])
        let svg = SVGChart.percentiles(title: "Latency by percentile", subtitle: "open loop", lines: [line])
        for tick in [">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<"] { #expect(svg.contains(tick), "missing tick \(tick)") }
        #expect(svg.contains(">uring-isolate-rate5000</text>"))
        #expect(svg.contains("latency, ms (log scale)"))
        #expect(svg.contains("<polyline"))
    }

    @Test func studyChartsKeepOpenAndClosedLoopApart() {
        let r = StudyFixture.withProcessModel()
        let open = r.charts.first { $0.file == "latency-distribution-open.svg" }!.svg
        let closed = r.charts.first { $0.file == "latency-distribution-closed.svg" }!.svg
        #expect(open.contains(">epoll-isolate-rate2000</text>") && !open.contains(">epoll-process</text>"))
        #expect(closed.contains(">epoll-process</text>") && !closed.contains("rate2000"))
        let throughput = r.charts.first { $0.file == "throughput.svg" }!.svg
        #expect(!throughput.contains("rate2000"), "an open loop's req/s is its offered rate, not a throughput")
    }
}
