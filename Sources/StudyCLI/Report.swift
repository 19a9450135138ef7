// `isoring report`: turns run folders into report.md, report.json, report.html and SVG charts, or compares two runs.
import ArgumentParser
import Foundation
import Measurement

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare modes: report.md, report.json, report.html and SVG charts from folders written by isoring load --json (load.json).",
        discussion: """
            Each DIR is a run folder (holding load.json) or a folder of run folders. Runs named MODE.rN are repetitions of MODE: \
            the report uses their median and shows min–max.
            With --compare RUN_A RUN_B, prints two study runs side by side with ratios B/A (each a folder holding report.json, \
            or run folders to build one from), and writes compare.md into --out when given.
            """)

    @Argument(help: "Run folders, or folders of run folders.")
    var directories: [String] = []

    @Option(help: "Where to write the report (default: the first DIR).")
    var out: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Two study runs to put side by side: RUN_A RUN_B.")
    var compare: [String] = []

    func validate() throws {
        if !compare.isEmpty && compare.count != 2 {
            throw ValidationError("--compare takes exactly two runs (RUN_A RUN_B), got \(compare.count)")
        }
        if compare.isEmpty && directories.isEmpty { throw ValidationError("give run folders, or --compare RUN_A RUN_B") }
    }

    func run() throws {
        if compare.count == 2 {
            let text = StudyComparison.markdown(try Self.study(compare[0]), compare[0], try Self.study(compare[1]), compare[1])
            print(text, terminator: "")
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try text.write(toFile: out + "/compare.md", atomically: true, encoding: .utf8)
            }
            return
        }
        let report = try Self.build(directories)
        let dir = out ?? directories[0]
        try report.write(to: dir)
        print("wrote \(dir)/report.md, report.json, report.html and \(report.charts.count) charts from \(report.modes.reduce(0) { $0 + $1.runs } + report.coldStarts.reduce(0) { $0 + $1.runs }) runs")
    }

    static func build(_ directories: [String]) throws -> StudyReport {
        let (runs, ioBound, node, notes) = try StudyBuilder.load(directories: directories)
        guard !runs.isEmpty || !ioBound.isEmpty else { throw ValidationError("no load.json or io-bound*.json found under \(directories.joined(separator: ", "))") }
        return StudyBuilder.build(runs: runs, ioBound: ioBound, node: node, notes: notes)
    }

    /// A study folder's report.json, or one built from its run folders (DIR and DIR/runs).
    static func study(_ dir: String) throws -> StudyReport {
        if let data = FileManager.default.contents(atPath: dir + "/report.json") {
            do { return try JSONDecoder().decode(StudyReport.self, from: data) } catch {
                throw ValidationError("\(dir)/report.json is not a study report of this version (\(error)); rebuild it with isoring report \(dir) \(dir)/runs --out \(dir)")
            }
        }
        let runs = dir + "/runs"
        return try build(FileManager.default.fileExists(atPath: runs) ? [dir, runs] : [dir])
    }
}
