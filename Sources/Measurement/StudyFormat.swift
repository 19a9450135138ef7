// StudyFormat: how report figures are written: fixed digits, spreads as "median (min–max)", ratios with their range.
import Foundation

enum StudyFormat {
    static func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    static func o(_ v: Double?, _ digits: Int, _ suffix: String = "") -> String { v.map { f($0, digits) + suffix } ?? "n/a" }

    /// Digits that keep about three significant figures.
    static func digits(_ v: Double) -> Int {
        let a = abs(v)
        return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4
    }

    /// "3.60 ms" or, with more than one repetition and some spread, "3.60 ms (3.41–3.92)".
    static func s(_ v: Spread?, _ digits: Int? = nil, _ unit: String = "") -> String {
        guard let v else { return "n/a" }
        let d = digits ?? Self.digits(v.median)
        let u = unit.isEmpty || unit == "%" ? unit : " " + unit
        var t = f(v.median, d) + u
        if v.count > 1 && f(v.min, d) != f(v.max, d) { t += " (\(f(v.min, d))–\(f(v.max, d)))" }
        return t
    }

    /// a / b as a spread: the ratio of medians, and the widest ratio the repetitions allow.
    static func ratio(_ a: Spread, _ b: Spread) -> Spread? {
        guard b.median > 0, b.min > 0 else { return nil }
        var r = Spread(a.median / b.median)
        r.min = a.min / b.max
        r.max = a.max / b.min
        r.count = max(a.count, b.count)
        return r
    }

    /// "4.2x" or "4.2x (3.1–5.0x)".
    static func x(_ r: Spread?) -> String {
        guard let r else { return "n/a" }
        let d = r.median >= 10 ? 0 : 1
        var t = f(r.median, d) + "x"
        if r.count > 1 && f(r.min, d) != f(r.max, d) { t += " (\(f(r.min, d))–\(f(r.max, d))x)" }
        return t
    }

    static func escape(_ t: String) -> String {
        t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
