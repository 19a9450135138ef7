// SVGPercentilePlot: HdrHistogram's latency-by-percentile plot: x = 1/(1-p) on a log axis, one line per mode.
import Foundation

/// One mode's latency distribution: (percentile 0...100, milliseconds) points.
public struct PercentileLine: Sendable {
    public var label: String
    public var points: [(percentile: Double, millis: Double)]
    public init(label: String, points: [(percentile: Double, millis: Double)]) {
        self.label = label
        self.points = points
    }
}

extension SVGChart {
    /// The percentile axis stretches the tail: 90% sits at 10, 99% at 100, 99.9% at 1,000,
    /// so p99.99 gets as much room as p50 to p90. The latency axis is logarithmic when the
    /// lines span 20x or more.
    public static func percentiles(title: String, subtitle: String, lines: [PercentileLine]) -> String {
        let left = 70.0, plotWidth = 560.0, plotHeight = 300.0
        let legendWidth = Double(lines.map(\.label.count).max() ?? 10) * charWidth + 40
        let top = 60.0
        let width = Int(left + plotWidth + 20 + legendWidth)
        let height = Int(top + plotHeight + 60)
        func xPos(_ p: Double) -> Double { log10(1 / max(1e-9, 1 - p / 100)) }
        let xMax = max(2, ceil(lines.flatMap { $0.points.map { xPos($0.percentile) } }.max() ?? 2))
        let ms = lines.flatMap { $0.points.map(\.millis) }.filter { $0 > 0 }
        let logY = (ms.max() ?? 1) / (ms.min() ?? 1) >= 20
        let axis = ChartAxis(scale: logY ? .log : .linear, values: ms.isEmpty ? [1] : ms, x0: 0, width: plotHeight)
        func px(_ p: Double) -> Double { left + xPos(p) / xMax * plotWidth }
        func py(_ v: Double) -> Double { top + plotHeight - (axis.x(v) ?? 0) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(esc(title))</text>\n"
        s += "<text x=\"10\" y=\"40\" fill=\"#444\">\(esc(subtitle))</text>\n"
        for k in 0...Int(xMax) {
            let p = 100 * (1 - pow(10, -Double(k)))
            let x = left + Double(k) / xMax * plotWidth
            s += "<line x1=\"\(r(x))\" y1=\"\(r(top))\" x2=\"\(r(x))\" y2=\"\(r(top + plotHeight))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(r(x))\" y=\"\(r(top + plotHeight + 16))\" text-anchor=\"middle\" fill=\"#444\">\(percentLabel(p))</text>\n"
        }
        for t in axis.ticks {
            let y = py(t)
            s += "<line x1=\"\(r(left))\" y1=\"\(r(y))\" x2=\"\(r(left + plotWidth))\" y2=\"\(r(y))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(r(left - 6))\" y=\"\(r(y + 4))\" text-anchor=\"end\" fill=\"#444\">\(format(t))</text>\n"
        }
        s += "<text x=\"\(r(left + plotWidth / 2))\" y=\"\(r(top + plotHeight + 36))\" text-anchor=\"middle\" fill=\"#444\">percentile (x = 1/(1-p), log scale)</text>\n"
        s += "<text transform=\"translate(16 \(r(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#444\">latency, ms (\(logY ? "log" : "linear") scale)</text>\n"
        for (i, line) in lines.enumerated() {
            let colour = colours[i % colours.count]
            // Past the palette, lines repeat its colours dashed.
            let dash = i >= colours.count ? " stroke-dasharray=\"6 3\"" : ""
            let pts = line.points.sorted { $0.percentile < $1.percentile }.map { "\(r(px($0.percentile))),\(r(py($0.millis)))" }
            s += "<polyline points=\"\(pts.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n"
            for p in line.points { s += "<circle cx=\"\(r(px(p.percentile)))\" cy=\"\(r(py(p.millis)))\" r=\"2.5\" fill=\"\(colour)\"/>" }
            let ly = top + 10 + Double(i) * 20
            let lx = left + plotWidth + 20
            s += "\n<line x1=\"\(r(lx))\" y1=\"\(r(ly - 7))\" x2=\"\(r(lx + 16))\" y2=\"\(r(ly - 7))\" stroke=\"\(colour)\" stroke-width=\"3\"\(dash)/>"
            s += "<text x=\"\(r(lx + 20))\" y=\"\(r(ly - 3))\">\(esc(line.label))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func percentLabel(_ p: Double) -> String {
        if p == 0 { return "0%" }
        var t = String(format: "%.6f", p)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t + "%"
    }
}
