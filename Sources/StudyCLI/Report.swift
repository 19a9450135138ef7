// `isoring report`: turns run folders into report.md, report.json and SVG charts.
import ArgumentParser
import Measurement

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare runs: report.md + report.json + charts from folders written by isoring load --json (load.json).",
        discussion: "Each DIR is a run folder (holding load.json) or a folder of run folders. Runs named MODE.rN are repetitions of MODE.")

    @Argument(help: "Run folders, or folders of run folders.")
    var directories: [String]

    @Option(help: "Where to write the report (default: the first DIR).")
    var out: String?

    func run() throws {
        let (runs, node, notes) = try StudyBuilder.load(directories: directories)
        guard !runs.isEmpty else { throw ValidationError("no load.json found under \(directories.joined(separator: ", "))") }
        let report = StudyBuilder.build(runs: runs, node: node, notes: notes)
        let dir = out ?? directories[0]
        try report.write(to: dir)
        print("wrote \(dir)/report.md, report.json and \(report.charts.count) charts from \(runs.count) runs")
    }
}
