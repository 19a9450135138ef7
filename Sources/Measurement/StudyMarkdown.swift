// StudyMarkdown: report.md from the report's sections, and `write`, which puts report.md, report.json, report.html and the charts in a folder.
import Foundation

extension StudyReport {
    public func markdown() -> String {
        var s = "# Isoring study report\n\n"
        if let line = indicativeLine { s = "> \(line)\n\n" + s }
        for section in sections {
            s += String(repeating: "#", count: section.level) + " \(section.title)\n\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let p): s += p + "\n\n"
                case .bullets(let items): s += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
                case .table(let t):
                    s += "| " + t.header.map(cell).joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: t.header.count) + "\n"
                    for row in t.rows { s += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
                    s += "\n"
                case .charts(let files): s += files.map { "![\($0)](\($0))" }.joined(separator: "\n") + "\n\n"
                }
            }
        }
        return s
    }

    func cell(_ t: String) -> String { t.replacingOccurrences(of: "|", with: "\\|") }

    /// Writes report.md, report.json, report.html (self-contained: charts inline) and the
    /// charts as SVG files into `directory`; also claims.md, the claims table alone, which
    /// Scripts/claims-note turns into Kernel-notes/claims.md.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let rendered = charts
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        try html(charts: rendered).write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        try claimsMarkdown().write(toFile: directory + "/claims.md", atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/report.json"))
        for c in rendered { try c.svg.write(toFile: directory + "/" + c.file, atomically: true, encoding: .utf8) }
    }

    /// The claims table with its run's environment in one line, for Kernel-notes/claims.md.
    public func claimsMarkdown() -> String {
        var s = ""
        if let line = indicativeLine { s += "> \(line)\n\n" }
        if let e = environment { s += "Measured \(e.timestamp) on \(e.cpuModel), Linux \(e.kernelRelease); command `\(notes.command ?? "isoring report")`.\n\n" }
        s += "| Claim | Experiment | Measured here | Verdict |\n|---|---|---|---|\n"
        for c in claims { s += "| \(cell(c.claim)) | \(cell(c.experiment)) | \(cell(c.measured)) | \(cell(c.verdict)) |\n" }
        return s
    }
}
