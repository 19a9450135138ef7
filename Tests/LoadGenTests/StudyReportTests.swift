// StudyReportTests: the report renderer on fixtures: sections in order, repetitions as median with min–max, files written.
import Foundation
import Measurement
import Testing

@Suite struct StudyReportTests {
    @Test func markdownOpensWithEnvironmentThenClaimsThenModesSideBySide() {
        let md = StudyFixture.isolatesOnly.markdown()
        let env = md.range(of: "## Environment")!
        let claims = md.range(of: "## Claims")!
        let modes = md.range(of: "## Per mode: closed loop")!
        #expect(env.lowerBound < claims.lowerBound && claims.lowerBound < modes.lowerBound)
        #expect(md.hasPrefix("# Isoring study report"), "a default run does not call itself indicative")
        #expect(md.contains("| Claim | Experiment | Measured here | Verdict |"))
        #expect(md.contains("Kernel: 6.18.0"))
        #expect(md.contains("JavaScriptCore 2.50.1"))
        for header in ["syscalls/req", "ctx switches/req", "kernel CPU share", "p50 ms", "p99 ms", "req/s", "CPU µs/req"] {
            #expect(md.contains(header), "missing column \(header)")
        }
        // One row per mode, repetitions merged: the median, then min–max.
        #expect(md.contains("| uring-isolate | isolate | uring | 51000 (50000–52000) |"))
        #expect(md.contains("| epoll-isolate | isolate | epoll | 40000 |"))
        let perMode = md[modes.upperBound..<md.range(of: "## Cold starts")!.lowerBound]
        #expect(!perMode.contains("| cold-isolate | "), "the cold-start sweep is not a throughput mode")
        #expect(md.contains("| isolate (cold-isolate) | 100 x 1 |"))
    }

    @Test func quickRunSaysOnItsFirstLineThatItsFiguresAreIndicative() {
        let r = StudyFixture.withProcessModel()
        #expect(r.markdown().split(separator: "\n").first!.hasPrefix("> Indicative figures only"))
        #expect(r.html().contains("<p class=\"indicative\">Indicative figures only"))
        #expect(r.claimsMarkdown().hasPrefix("> Indicative figures only"))
    }

    @Test func openAndClosedLoopRunsGetTheirOwnTables() {
        let md = StudyFixture.withProcessModel().markdown()
        let closed = md.range(of: "## Per mode: closed loop")!
        let open = md.range(of: "## Per mode: open loop")!
        let closedPart = md[closed.upperBound..<open.lowerBound]
        #expect(closedPart.contains("| epoll-process |") && !closedPart.contains("rate2000"))
        #expect(md[open.upperBound...].contains("| epoll-isolate-rate2000 |"))
        #expect(md.contains("open loop at 2000 req/s, 16 connections"))
    }

    @Test func perRequestFiguresComeFromTheRuns() {
        let r = StudyFixture.isolatesOnly
        let uring = r.modes.first { $0.mode == "uring-isolate" }!
        let epoll = r.modes.first { $0.mode == "epoll-isolate" }!
        #expect(abs(uring.syscallsPerRequest!.median - 1.0) < 1e-9)
        #expect(abs(epoll.syscallsPerRequest!.median - 4.0) < 1e-9)
        #expect(abs(uring.kernelShareOfCPU!.median - 0.4) < 1e-9)
        #expect(uring.runs == 2 && uring.requestsPerSecond.min == 50_000 && uring.requestsPerSecond.max == 52_000)
        #expect(r.coldStarts.first?.memoryKilobytesPerTenant?.median == 300_000.0 / 1024)
    }

    @Test func coldStartsCoverEveryModelWithTheirMemory() {
        let r = StudyFixture.withProcessModel()
        let process = r.coldStarts.first { $0.isolation == "process" }!
        // 600,000 KiB of worker PSS + 300,000 B x 100 of front growth, over 100 tenants.
        #expect(abs(process.memoryKilobytesPerTenant!.median - (6000 + 300_000.0 / 1024)) < 1e-6)
        #expect(abs(process.serverP50Millis!.median - 42.6) < 1e-9, "spawn to ready as recorded (40 ms) plus the fixture's other phases")
        #expect(process.meanCreateMillis == nil, "a process has no isolate phases")
        let cgi = r.coldStarts.first { $0.isolation == "cgi" }!
        #expect(cgi.memoryKilobytesPerTenant == nil && cgi.memoryMethod.contains("keeps no process"))
        #expect(r.coldStarts.contains { $0.pooled })
        let (times, memory) = r.coldStartBars
        #expect(times.map(\.label) == ["isolate (cold-isolate)", "isolate, prewarmed pool (cold-isolate-pooled)",
                                       "process per tenant (cold-process)", "cgi, process per request (cold-cgi)", "Node.js v20.0.0 process"])
        #expect(memory.last?.values.first??.median == 41_000, "Node.js memory is its PSS when measured")
    }

    @Test func writesMarkdownJSONHTMLAndCharts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-report-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = StudyFixture.withProcessModel()
        try report.write(to: dir)
        for f in ["report.md", "report.json", "report.html", "claims.md", "syscalls-per-request.svg", "context-switches-per-request.svg",
                  "kernel-share.svg", "cpu-per-request.svg", "latency-closed.svg", "latency-distribution-open.svg",
                  "latency-distribution-closed.svg", "throughput.svg", "cold-start.svg", "memory-per-tenant.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + f), "\(f) not written")
        }
        let back = try JSONDecoder().decode(StudyReport.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json")))
        #expect(back == report)
    }

    @Test func aRunWithoutResponsesOrWhoseServerExitedIsNamedAndKeptOutOfTheMedians() {
        let runs = [StudyFixture.run("uring-isolate.r1", io: "uring", rps: 50_000, syscalls: 500_000, switches: 1000),
                    StudyFixture.run("uring-isolate.r2", io: "uring", rps: 0, syscalls: 0, switches: 0)]
        var notes = StudyNotes()
        notes.failedRuns = ["uring-loopgroup-wallclock-isolate.r2: the server exited during the run (precondition failure; see its server.log)"]
        let r = StudyBuilder.build(runs: runs, node: nil, notes: notes)
        #expect(r.modes.first?.runs == 1 && r.modes.first?.requestsPerSecond.median == 50_000)
        #expect(r.missing["uring-isolate.r2: the whole run"] == "no response in the measured window")
        #expect(r.missing["uring-loopgroup-wallclock-isolate.r2: the whole run"]?.hasPrefix("the server exited during the run") == true)
        #expect(r.markdown().contains("- uring-loopgroup-wallclock-isolate.r2: the whole run: the server exited during the run"))
    }

    @Test func htmlIsSelfContained() {
        let html = StudyFixture.withProcessModel().html()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        // Every chart inline, nothing fetched: no scripts, no external references.
        #expect(html.components(separatedBy: "<svg ").count - 1 == StudyFixture.withProcessModel().charts.count)
        for forbidden in ["<script", "src=", "href=", "<link", "@import", "url("] {
            #expect(!html.contains(forbidden), "report.html must not load anything: found \(forbidden)")
        }
        #expect(html.contains("<table><thead><tr><th>Claim</th>"))
    }
}
