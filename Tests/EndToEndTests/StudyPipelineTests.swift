// StudyPipelineTests: serve --report, load --window --json, report and report --compare, end to end,
// on a process-model cold-start sweep (the worker starts and their PSS reach the report).
import Foundation
import Testing

@Suite struct StudyPipelineTests {
    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    @Test func aProcessModelSweepReportsWorkerStartsAndMemoryAndComparesWithItself() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-study-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/runs/cold-epoll-process.r1"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        #expect(try runIsoring(["gen-tenants", dir + "/tenants", "--count", "4"]).status == 0)

        let server = try ServerProcess(["--io", "epoll", "--isolation", "process", "--tenants", dir + "/tenants", "--report", run + "/server"])
        let load = try runIsoring(["load", "http://127.0.0.1:\(server.port)/", "--connections", "1", "--requests", "4", "--tenants", "4",
                                   "--tenant-order", "sweep", "--window", "--json", run + "/load.json"])
        server.stop()
        #expect(load.status == 0, "\(load.output)")

        let record = try json(run + "/load.json")["server"] as! [String: Any]
        let colds = record["coldStarts"] as? [String: Any]
        #expect(colds?["count"] as? Int == 4, "every worker start is a cold start in the window: \(record)")
        let memory = record["memory"] as! [String: Any]
        #expect(memory["workers"] as? Int == 4)
        #expect((memory["workerPSSKilobytes"] as? Int ?? 0) > 1000, "four live workers hold more than 1 MiB of PSS: \(memory)")

        let report = try runIsoring(["report", dir + "/runs", "--out", dir])
        #expect(report.status == 0, "\(report.output)")
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.contains("process per tenant (cold-epoll-process)"))
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("worker processes' PSS (smaps_rollup) plus the front's RSS growth, per tenant"))

        let compare = try runIsoring(["report", "--compare", dir, dir])
        #expect(compare.status == 0, "\(compare.output)")
        #expect(compare.output.contains("| process per tenant (cold-epoll-process) |") && compare.output.contains("| 1.0x |"), "\(compare.output)")
        let bad = try runIsoring(["report", "--compare", dir])
        #expect(bad.status != 0 && bad.output.contains("--compare takes exactly two runs"), "\(bad.output)")
    }
}
