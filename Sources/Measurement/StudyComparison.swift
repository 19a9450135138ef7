// StudyComparison: two study reports side by side with ratios (before/after a change, two kernels, two machines).
import Foundation

public enum StudyComparison {
    /// Markdown: both environments, then one table per figure (modes in both reports, B/A),
    /// cold starts and memory, and the claims' verdicts side by side.
    public static func markdown(_ a: StudyReport, _ aName: String, _ b: StudyReport, _ bName: String) -> String {
        typealias F = StudyFormat
        var s = "# Isoring study: \(aName) vs \(bName)\n\n"
        for (label, r, name) in [("A", a, aName), ("B", b, bName)] {
            let e = r.environment
            s += "- \(label): `\(name)`: \(e.map { "Linux \($0.kernelRelease), \($0.cpuModel), \($0.timestamp)" } ?? "no environment")"
            s += ", `\(r.notes.command ?? "?")`, \(r.notes.repetitions ?? 1) repetition(s)\(r.notes.quick == true ? " (quick: indicative)" : "")\n"
        }
        s += "\nRatios are B / A of the medians; brackets give the range the repetitions allow. Only modes whose load shapes are equal in both runs are compared.\n"
        let bModes = Dictionary(b.modes.map { ($0.mode, $0) }, uniquingKeysWith: { x, _ in x })
        let pairs = a.orderedModes.compactMap { m -> (ModeRow, ModeRow)? in
            guard let o = bModes[m.mode], o.shape == m.shape else { return nil }
            return (m, o)
        }
        let figures: [(String, Int, (ModeRow) -> Spread?)] = [
            ("Requests per second", 0, { $0.requestsPerSecond }), ("p50 latency, ms", 3, { $0.p50Millis }),
            ("p99 latency, ms", 3, { $0.p99Millis }), ("Server CPU µs per request", 1, { $0.cpuSecondsPerMillionRequests }),
            ("Syscalls per request", 3, { $0.syscallsPerRequest }), ("Context switches per request", 3, { $0.contextSwitchesPerRequest }),
            ("Kernel share of CPU, %", 1, { $0.kernelShareOfCPU?.scaled(100) }),
        ]
        for (title, digits, figure) in figures {
            s += "\n## \(title)\n\n| Mode | load | A | B | B / A |\n|---|---|---|---|---|\n"
            for (x, y) in pairs {
                let ratio = figure(x).flatMap { fx in figure(y).flatMap { F.ratio($0, fx) } }
                s += "| \(x.mode) | \(x.shape.description) | \(F.s(figure(x), digits)) | \(F.s(figure(y), digits)) | \(F.x(ratio)) |\n"
            }
        }
        let onlyA = a.modes.map(\.mode).filter { m in !pairs.contains { $0.0.mode == m } }
        let onlyB = b.modes.map(\.mode).filter { m in !pairs.contains { $0.1.mode == m } }
        if !onlyA.isEmpty || !onlyB.isEmpty {
            s += "\nNot compared (absent from one run or a different load shape): A \(onlyA.joined(separator: ", ")); B \(onlyB.joined(separator: ", "))\n"
        }
        s += "\n## Cold starts and memory per tenant\n\n| Cold-start run | client p50 ms A | B | B / A | KiB per tenant A | B | B / A |\n|---|---|---|---|---|---|---|\n"
        let bCold = Dictionary(b.coldStarts.map { ($0.mode, $0) }, uniquingKeysWith: { x, _ in x })
        for c in a.coldStarts {
            guard let d = bCold[c.mode] else { continue }
            let mem = c.memoryKilobytesPerTenant.flatMap { m in d.memoryKilobytesPerTenant.flatMap { F.ratio($0, m) } }
            s += "| \(StudyReport.coldLabel(c)) | \(F.s(c.clientP50Millis, 2)) | \(F.s(d.clientP50Millis, 2)) | \(F.x(F.ratio(d.clientP50Millis, c.clientP50Millis))) "
            s += "| \(F.s(c.memoryKilobytesPerTenant, 0)) | \(F.s(d.memoryKilobytesPerTenant, 0)) | \(F.x(mem)) |\n"
        }
        if let na = a.node, let nb = b.node {
            s += "| Node.js process | \(F.f(na.p50Millis, 1)) | \(F.f(nb.p50Millis, 1)) | \(F.x(F.ratio(Spread(nb.p50Millis), Spread(na.p50Millis)))) "
            s += "| \(F.s(na.memoryKilobytes, 0)) | \(F.s(nb.memoryKilobytes, 0)) | \(F.x(na.memoryKilobytes.flatMap { m in nb.memoryKilobytes.flatMap { F.ratio($0, m) } })) |\n"
        }
        s += "\n## Claims\n\n| Claim | Verdict A | Verdict B | Measured A | Measured B |\n|---|---|---|---|---|\n"
        for c in a.claims {
            let d = b.claims.first { $0.claim == c.claim }
            s += "| \(c.claim) | \(c.verdict) | \(d?.verdict ?? "absent") | \(c.measured.replacingOccurrences(of: "|", with: "\\|")) | \((d?.measured ?? "—").replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return s
    }
}
