// SVGChart: plain horizontal bar charts as SVG text (one or two series per mode), no dependencies.
import Foundation

public enum SVGChart {
    /// A horizontal bar chart: one row per label, one bar per series. nil values are drawn as
    /// "n/a" so a missing figure is never shown as zero.
    public static func bars(title: String, unit: String, labels: [String], series: [(name: String, values: [Double?])]) -> String {
        let rowHeight = 18 * max(series.count, 1) + 10
        let left = 190.0, width = 420.0
        let height = 50 + rowHeight * labels.count + 20
        let top = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let scale = top > 0 ? width / top : 0
        let colours = ["#3b6ea5", "#d9822b", "#5a9e4b", "#a34a8c"]
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + width + 120))\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>\n"
        for (k, serie) in series.enumerated() where series.count > 1 {
            let x = 10 + k * 150
            s += "<rect x=\"\(x)\" y=\"30\" width=\"10\" height=\"10\" fill=\"\(colours[k % colours.count])\"/>"
            s += "<text x=\"\(x + 14)\" y=\"39\">\(escape(serie.name))</text>\n"
        }
        for (i, label) in labels.enumerated() {
            let y = 50 + i * rowHeight
            s += "<text x=\"\(Int(left) - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(escape(label))</text>\n"
            for (k, serie) in series.enumerated() {
                let by = y + k * 18
                if let v = k < serie.values.count ? serie.values[i] : nil {
                    let w = max(1, v * scale)
                    s += "<rect x=\"\(Int(left))\" y=\"\(by)\" width=\"\(String(format: "%.1f", w))\" height=\"15\" fill=\"\(colours[k % colours.count])\"/>"
                    s += "<text x=\"\(String(format: "%.1f", left + w + 4))\" y=\"\(by + 12)\">\(format(v)) \(escape(unit))</text>\n"
                } else {
                    s += "<text x=\"\(Int(left) + 4)\" y=\"\(by + 12)\" fill=\"#888\">n/a</text>\n"
                }
            }
        }
        return s + "</svg>\n"
    }

    static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        if abs(v) >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }

    static func escape(_ t: String) -> String {
        t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
