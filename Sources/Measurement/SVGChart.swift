// SVGChart: horizontal bar charts as SVG text: grouped rows, full labels, log or linear axis, min–max whiskers.
import Foundation

/// An axis: linear from zero, or logarithmic between powers of ten (for values that span
/// decades, where a linear axis would flatten every bar but the largest).
public enum ChartScale: Sendable, Equatable {
    case linear, log
    /// Logarithmic when the positive values span 30x or more.
    static func auto(_ values: [Double]) -> ChartScale {
        let p = values.filter { $0 > 0 }
        guard let lo = p.min(), let hi = p.max() else { return .linear }
        return hi / lo >= 30 ? .log : .linear
    }
}

/// One bar row: its full label and one value per series (nil: "n/a", never drawn as zero).
public struct ChartBar: Sendable {
    public var label: String
    public var values: [Spread?]
    public init(label: String, values: [Spread?]) {
        self.label = label
        self.values = values
    }
}

/// Rows under one heading (an isolation model, a load shape).
public struct ChartGroup: Sendable {
    public var title: String
    public var bars: [ChartBar]
    public init(title: String, bars: [ChartBar]) {
        self.title = title
        self.bars = bars
    }
}

struct ChartAxis {
    let scale: ChartScale
    let lo: Double
    let hi: Double
    let x0: Double
    let width: Double

    init(scale: ChartScale, values: [Double], x0: Double, width: Double) {
        self.scale = scale
        self.x0 = x0
        self.width = width
        let top = values.max() ?? 1
        if scale == .log {
            let positive = values.filter { $0 > 0 }
            let l = pow(10, floor(log10(positive.min() ?? 1)))
            var h = pow(10, ceil(log10(max(positive.max() ?? 10, l))))
            if h <= l { h = l * 10 }
            lo = l
            hi = h
        } else {
            lo = 0
            hi = ChartAxis.niceCeiling(top > 0 ? top : 1)
        }
    }

    static func niceCeiling(_ v: Double) -> Double {
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }

    /// Position of `v`; nil when a log axis cannot place it (zero or below).
    func x(_ v: Double) -> Double? {
        switch scale {
        case .linear: return x0 + min(v, hi) / hi * width
        case .log:
            guard v > 0 else { return nil }
            let t = (log10(v) - log10(lo)) / (log10(hi) - log10(lo))
            return x0 + Swift.max(0, Swift.min(1, t)) * width
        }
    }

    var ticks: [Double] {
        switch scale {
        case .linear: return (0...5).map { hi * Double($0) / 5 }
        case .log:
            var t: [Double] = []
            var v = lo
            while v <= hi * 1.0001 { t.append(v); v *= 10 }
            return t
        }
    }
}

public enum SVGChart {
    static let colours = ["#3b6ea5", "#d9822b", "#5a9e4b", "#a34a8c", "#8c6d31", "#17a2b8", "#c0392b", "#555555"]
    static let charWidth = 7.0

    /// A grouped horizontal bar chart. `scale` nil picks log when values span 30x or more.
    /// Repetitions with a spread get a min–max whisker over their bar (the bar is the median).
    public static func bars(title: String, subtitle: String = "", unit: String, series: [String], groups: [ChartGroup],
                            scale: ChartScale? = nil) -> String {
        let labels = groups.flatMap { $0.bars.map(\.label) }
        let left = max(120, Double(labels.map(\.count).max() ?? 0) * charWidth + 24)
        let plotWidth = 460.0
        let rowHeight = 16 * max(series.count, 1) + 8
        var values: [Double] = []
        for g in groups { for b in g.bars { for v in b.values { if let v { values += [v.median, v.min, v.max] } } } }
        let axis = ChartAxis(scale: scale ?? ChartScale.auto(values), values: values, x0: left, width: plotWidth)
        let legendHeight = series.count > 1 ? 20 : 0
        let top = 48 + legendHeight + (subtitle.isEmpty ? 0 : 16)
        let bodyHeight = groups.reduce(0) { $0 + 22 + $1.bars.count * rowHeight }
        let height = top + bodyHeight + 40
        let width = Int(left + plotWidth + 150)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(esc(title))</text>\n"
        var y = 40
        if !subtitle.isEmpty {
            s += "<text x=\"10\" y=\"\(y)\" fill=\"#444\">\(esc(subtitle))</text>\n"
            y += 16
        }
        for (k, name) in series.enumerated() where series.count > 1 {
            let x = 10 + k * 160
            s += "<rect x=\"\(x)\" y=\"\(y - 2)\" width=\"10\" height=\"10\" fill=\"\(colours[k % colours.count])\"/>"
            s += "<text x=\"\(x + 14)\" y=\"\(y + 7)\">\(esc(name))</text>\n"
        }
        // Grid and tick labels under the plot.
        let bottom = Double(top + bodyHeight)
        for t in axis.ticks {
            guard let x = axis.x(t) else { continue }
            s += "<line x1=\"\(r(x))\" y1=\"\(top - 4)\" x2=\"\(r(x))\" y2=\"\(r(bottom))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(r(x))\" y=\"\(r(bottom + 14))\" text-anchor=\"middle\" fill=\"#444\">\(format(t))</text>\n"
        }
        let axisName = (unit.isEmpty ? "" : unit + ", ") + (axis.scale == .log ? "log scale" : "linear scale")
        s += "<text x=\"\(r(left + plotWidth / 2))\" y=\"\(r(bottom + 30))\" text-anchor=\"middle\" fill=\"#444\">\(esc(axisName))</text>\n"
        var rowY = top
        for g in groups {
            s += "<text x=\"10\" y=\"\(rowY + 15)\" font-weight=\"bold\" fill=\"#222\">\(esc(g.title))</text>\n"
            rowY += 22
            for bar in g.bars {
                s += "<text x=\"\(r(left - 8))\" y=\"\(rowY + 12)\" text-anchor=\"end\">\(esc(bar.label))</text>\n"
                for k in series.indices {
                    let by = Double(rowY + k * 16)
                    guard k < bar.values.count, let v = bar.values[k] else {
                        s += "<text x=\"\(r(left + 4))\" y=\"\(r(by + 11))\" fill=\"#888\">n/a</text>\n"
                        continue
                    }
                    let colour = colours[k % colours.count]
                    guard let xe = axis.x(v.median) else {
                        s += "<text x=\"\(r(left + 4))\" y=\"\(r(by + 11))\" fill=\"#888\">\(format(v.median)) \(esc(unit))</text>\n"
                        continue
                    }
                    let w = max(1, xe - left)
                    s += "<rect x=\"\(r(left))\" y=\"\(r(by))\" width=\"\(r(w))\" height=\"13\" fill=\"\(colour)\"/>"
                    var end = left + w
                    if v.count > 1, v.min < v.max, let a = axis.x(v.min), let b = axis.x(v.max) {
                        let cy = by + 6.5
                        s += "<path d=\"M\(r(a)) \(r(cy))H\(r(b))M\(r(a)) \(r(cy - 4))v8M\(r(b)) \(r(cy - 4))v8\" stroke=\"#111\" stroke-width=\"1.2\" fill=\"none\"/>"
                        end = max(end, b)
                    }
                    s += "<text x=\"\(r(end + 5))\" y=\"\(r(by + 11))\">\(format(v.median))\(unit.isEmpty ? "" : " " + esc(unit))</text>\n"
                }
                rowY += rowHeight
            }
        }
        return s + "</svg>\n"
    }

    static func r(_ v: Double) -> String { String(format: "%.1f", v) }

    static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 { return String(format: a >= 1e7 ? "%.0fM" : "%.1fM", v / 1e6) }
        if a >= 1e4 { return String(format: a >= 1e5 ? "%.0fk" : "%.1fk", v / 1e3) }
        if a >= 100 || v == v.rounded() { return String(format: "%.0f", v) }
        if a >= 10 { return String(format: "%.1f", v) }
        if a >= 1 { return String(format: "%.2f", v) }
        if a >= 0.01 { return String(format: "%.3f", v) }
        return String(format: "%.2g", v)
    }

    static func esc(_ t: String) -> String { StudyFormat.escape(t) }
}
