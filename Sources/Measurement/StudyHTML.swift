// StudyHTML: report.html: one self-contained page (inline CSS and SVG, no scripts, no network) from the report's sections.
import Foundation

extension StudyReport {
    public func html(charts rendered: [(file: String, svg: String)]? = nil) -> String {
        let svgs = Dictionary((rendered ?? charts).map { ($0.file, $0.svg) }, uniquingKeysWith: { a, _ in a })
        var s = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Isoring study report</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #111; max-width: 1500px; }
            h1 { margin-bottom: 4px; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 2px; margin-top: 28px; }
            .indicative { background: #fff3cd; border: 1px solid #e0c36c; padding: 8px 12px; font-weight: bold; }
            table { border-collapse: collapse; font-size: 12px; margin: 8px 0 16px; }
            th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
            th { background: #f0f0f0; } tr:nth-child(even) td { background: #fafafa; }
            .charts { display: flex; flex-wrap: wrap; gap: 16px; }
            .chart { border: 1px solid #ddd; flex: 1 1 640px; max-width: 730px; } .chart svg { width: 100%; height: auto; }
            code { background: #f3f3f3; padding: 0 3px; } li { margin: 2px 0; font-size: 13px; }
            </style></head><body>

            """
        if let line = indicativeLine { s += "<p class=\"indicative\">\(inline(line))</p>\n" }
        s += "<h1>Isoring study report</h1>\n"
        for section in sections {
            s += "<h\(section.level)>\(inline(section.title))</h\(section.level)>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let p): s += "<p>\(inline(p))</p>\n"
                case .bullets(let items): s += "<ul>\n" + items.map { "<li>\(inline($0))</li>\n" }.joined() + "</ul>\n"
                case .table(let t):
                    s += "<table><thead><tr>" + t.header.map { "<th>\(inline($0))</th>" }.joined() + "</tr></thead><tbody>\n"
                    for row in t.rows { s += "<tr>" + row.map { "<td>\(inline($0))</td>" }.joined() + "</tr>\n" }
                    s += "</tbody></table>\n"
                case .charts(let files):
                    s += "<div class=\"charts\">\n"
                    for f in files { s += "<div class=\"chart\" id=\"\(StudyFormat.escape(f))\">\n\(svgs[f] ?? "<p>missing chart \(StudyFormat.escape(f))</p>")</div>\n" }
                    s += "</div>\n"
                }
            }
        }
        return s + "</body></html>\n"
    }

    /// Escapes text and turns `code` spans into <code>.
    func inline(_ t: String) -> String {
        let parts = StudyFormat.escape(t).split(separator: "`", omittingEmptySubsequences: false)
        var out = ""
        for (i, p) in parts.enumerated() { out += i % 2 == 1 && i < parts.count - 1 ? "<code>\(p)</code>" : (i % 2 == 1 ? "`" + p : String(p)) }
        return out
    }
}
