// StudyMarkdown: report.md: environment first, then the claims, the per-mode table, cold starts, charts, gaps.
import Foundation

extension StudyReport {
    /// The charts a report carries: file name to SVG text.
    public var charts: [(file: String, svg: String)] {
        let labels = modes.map(\.mode)
        var out: [(String, String)] = [
            ("syscalls-per-request.svg", SVGChart.bars(title: "Syscalls per request (server, perf raw_syscalls:sys_enter)", unit: "",
                                                       labels: labels, series: [("syscalls", modes.map(\.syscallsPerRequest))])),
            ("context-switches-per-request.svg", SVGChart.bars(title: "Context switches per request (server, perf)", unit: "",
                                                               labels: labels, series: [("switches", modes.map(\.contextSwitchesPerRequest))])),
            ("kernel-share.svg", SVGChart.bars(title: "Kernel share of the server's CPU time", unit: "%", labels: labels,
                                               series: [("system / (user + system)", modes.map { $0.kernelShareOfCPU.map { $0 * 100 } })])),
            ("latency.svg", SVGChart.bars(title: "Client latency (from due time)", unit: "ms", labels: labels,
                                          series: [("p50", modes.map { Optional($0.p50Millis) }), ("p99", modes.map { Optional($0.p99Millis) }),
                                                   ("p99.9", modes.map { Optional($0.p999Millis) })])),
            ("throughput.svg", SVGChart.bars(title: "Requests per second", unit: "req/s", labels: labels,
                                             series: [("req/s", modes.map { Optional($0.requestsPerSecond) })])),
        ]
        if !coldStarts.isEmpty || node != nil {
            var l = coldStarts.map(\.mode)
            var v: [Double?] = coldStarts.map { $0.p50Millis }
            var m: [Double?] = coldStarts.map { $0.bytesPerTenant.map { $0 / 1024 } }
            if let n = node {
                l.append("node process")
                v.append(n.p50Millis)
                m.append(n.medianRSSKilobytes)
            }
            out.append(("cold-start.svg", SVGChart.bars(title: "Cold start, p50", unit: "ms", labels: l, series: [("cold start", v)])))
            out.append(("memory-per-tenant.svg", SVGChart.bars(title: "Memory per tenant", unit: "KiB", labels: l, series: [("memory", m)])))
        }
        return out
    }

    public func markdown() -> String {
        var s = "# Isoring study report\n\n"
        s += environmentSection()
        s += "## Claims\n\n| Claim | Experiment | Measured here | Verdict |\n|---|---|---|---|\n"
        for c in claims { s += "| \(cell(c.claim)) | \(cell(c.experiment)) | \(cell(c.measured)) | \(cell(c.verdict)) |\n" }
        s += "\n## Per mode\n\nServer on its own core, load generator on another; per-request figures are the server's, from its own "
        s += "counters over the measured window (perf for syscalls and context switches, getrusage for CPU). Softirqs are machine-wide.\n\n"
        let cols = ["Mode", "req/s (min–max)", "p50 ms", "p99 ms", "syscalls/req", "engine syscalls/req", "ctx switches/req",
                    "kernel CPU share", "CPU-s / 1M req", "service µs/req", "NET softirqs/req", "uring enters/req", "SQEs/enter", "non-2xx", "socket errors"]
        s += "| " + cols.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: cols.count) + "\n"
        for m in modes {
            let spread = m.runs > 1 ? " (\(f(m.requestsPerSecondMin, 0))–\(f(m.requestsPerSecondMax, 0)))" : ""
            let cells: [String] = [m.mode, f(m.requestsPerSecond, 0) + spread, f(m.p50Millis, 3), f(m.p99Millis, 3),
                                   o(m.syscallsPerRequest, 2), o(m.engineSyscallsPerRequest, 2), o(m.contextSwitchesPerRequest, 3),
                                   o(m.kernelShareOfCPU.map { $0 * 100 }, 1, "%"), o(m.cpuSecondsPerMillionRequests, 1),
                                   o(m.serviceMicrosPerRequest, 1), o(m.netSoftirqsPerRequest, 3), o(m.ioUringEntersPerRequest, 3),
                                   o(m.sqesPerEnter, 2), "\(m.non2xx)", "\(m.socketErrors)"]
            s += "| " + cells.joined(separator: " | ") + " |\n"
        }
        s += "\n### Latency percentiles (ms, client side: from the due time in an open-loop run, from the send time in a closed-loop run)\n\n"
        let keys = LatencyHistogram.chartedPercentiles.map(LatencyHistogram.percentileKey)
        s += "| Mode | " + keys.map { "p" + $0 }.joined(separator: " | ") + " |\n|---|" + String(repeating: "---|", count: keys.count) + "\n"
        for m in modes { s += "| \(m.mode) | " + keys.map { o(m.latencyPercentilesMillis[$0], 3) }.joined(separator: " | ") + " |\n" }
        s += "\n## Cold starts and memory per tenant\n\n"
        if coldStarts.isEmpty { s += "No cold-start run.\n" } else {
            s += "| Mode | tenants | p50 ms | p99 ms | create ms | prelude ms | script ms | first call ms | client p50 ms | memory / tenant |\n"
            s += "|---|---|---|---|---|---|---|---|---|---|\n"
            for c in coldStarts {
                s += "| \(c.mode) | \(c.count) | \(f(c.p50Millis, 2)) | \(f(c.p99Millis, 2)) | \(f(c.meanCreateMillis, 2)) | \(f(c.meanPreludeMillis, 2)) | "
                s += "\(f(c.meanScriptMillis, 2)) | \(f(c.meanFirstCallMillis, 2)) | \(f(c.clientP50Millis, 2)) | \(o(c.bytesPerTenant.map { $0 / 1024 }, 0, " KiB")) |\n"
            }
        }
        if let n = node {
            s += "\nNode.js \(n.nodeVersion): spawn to first response p50 \(f(n.p50Millis, 1)) ms over \(n.samplesMillis.count) spawns "
            s += "(min \(f(n.samplesMillis.min() ?? 0, 1)), max \(f(n.samplesMillis.max() ?? 0, 1))); RSS at first response \(f(n.medianRSSKilobytes, 0)) KiB.\n"
        } else {
            s += "\nNode.js cold start: missing (\(notes.nodeMissing ?? "node is not installed")).\n"
        }
        s += "\n## Charts\n\n"
        for c in charts { s += "![\(c.file)](\(c.file))\n" }
        s += "\n## Missing figures\n\n"
        if missing.isEmpty { s += "None.\n" }
        for (k, why) in missing.sorted(by: { $0.key < $1.key }) { s += "- \(k): \(why)\n" }
        return s
    }

    func environmentSection() -> String {
        var s = "## Environment\n\n"
        if let e = environment {
            s += "- Kernel: \(e.kernelRelease) (\(e.kernelVersion)), \(e.machine)\n"
            s += "- CPU: \(e.cpuModel); \(e.cpuCount) logical CPUs, \(e.physicalCores.map(String.init) ?? "?") physical cores, online \(e.onlineCPUs)\n"
            let vulnerable = e.mitigations.filter { $0.value.hasPrefix("Vulnerable") }.keys.sorted()
            let mitigated = e.mitigations.filter { $0.value.hasPrefix("Mitigation") }.keys.sorted()
            s += "- Mitigations: \(mitigated.count) active (\(mitigated.joined(separator: ", "))); vulnerable: \(vulnerable.isEmpty ? "none" : vulnerable.joined(separator: ", "))\n"
            s += "- liburing \(e.liburingVersion ?? "unknown"), JavaScriptCore \(e.javaScriptCoreVersion ?? "unknown"); "
            s += "perf_event_paranoid \(e.perfEventParanoid.map(String.init) ?? "?"), io_uring_disabled \(e.ioUringDisabled.map(String.init) ?? "?")\n"
            s += "- Measured at \(e.timestamp) on \(e.hostname)\n"
        } else {
            s += "- No server window in these runs: the machine facts are missing.\n"
        }
        if let p = notes.pinning { s += "- Pinning: \(p)\n" }
        if let c = notes.command { s += "- Command: `\(c)`\n" }
        s += "- Repetitions per mode: \(notes.repetitions.map(String.init) ?? "1"); req/s spread shown as min–max when above 1\n"
        for (mode, flags) in serverMode.sorted(by: { $0.key < $1.key }) {
            s += "- Server flags, \(mode): " + flags.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        }
        for (mode, l) in loadSettings.sorted(by: { $0.key < $1.key }) {
            var t = "\(l.model) loop, \(l.connections) connections x \(l.pipeline), \(l.threads) thread(s), io \(l.io)"
            if let r = l.rate { t += ", rate \(f(r, 0))/s" }
            if let d = l.durationSeconds { t += ", \(f(d, 1)) s" }
            if let n = l.requestLimit { t += ", \(n) requests" }
            t += ", warm-up \(f(l.warmupSeconds, 1)) s"
            if l.tenants > 0 { t += ", \(l.tenants) tenants (\(l.tenantOrder)\(l.tenantOrder == "zipf" ? " s=\(l.zipfExponent)" : ""))" }
            s += "- Load, \(mode): \(t)\n"
        }
        for n in notes.notes ?? [] { s += "- \(n)\n" }
        return s + "\n"
    }

    func cell(_ t: String) -> String { t.replacingOccurrences(of: "|", with: "\\|") }
    func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
    func o(_ v: Double?, _ digits: Int, _ suffix: String = "") -> String { v.map { f($0, digits) + suffix } ?? "n/a" }

    /// Writes report.md, report.json and the charts into `directory`.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/report.json"))
        for c in charts { try c.svg.write(toFile: directory + "/" + c.file, atomically: true, encoding: .utf8) }
    }
}
