// StudySections: the report's content once, as sections of paragraphs, lists and tables; Markdown and HTML render it.

struct ReportTable {
    var header: [String]
    var rows: [[String]]
}

enum ReportBlock {
    case paragraph(String)
    case bullets([String])
    case table(ReportTable)
    /// Chart file names, shown as images (Markdown) or inline SVG (HTML).
    case charts([String])
}

struct ReportSection {
    var title: String
    /// 2 for "##", 3 for "###".
    var level: Int
    var blocks: [ReportBlock]
}

extension StudyReport {
    /// The line a quick run opens with: its figures are indicative.
    public var indicativeLine: String? {
        guard notes.quick == true else { return nil }
        return "Indicative figures only: `Scripts/study --quick` (\(notes.repetitions ?? 1) repetition(s) per mode, short runs); "
            + "run `Scripts/study` for three or more repetitions with their spread."
    }

    var sections: [ReportSection] {
        typealias F = StudyFormat
        var out: [ReportSection] = []
        out.append(ReportSection(title: "Environment", level: 2, blocks: [.bullets(environmentLines)]))
        out.append(ReportSection(title: "Claims", level: 2, blocks: [
            .paragraph("Each claim is judged only on runs that compare like with like: the same load shape (loop, connections, "
                + "offered rate, tenant mix), engine and CPU-limit clock. Figures are medians over the repetitions, with min–max "
                + "in brackets; a verdict notes when the spread reaches another verdict."),
            .table(ReportTable(header: ["Claim", "Experiment", "Measured here", "Verdict"],
                               rows: claims.map { [$0.claim, $0.experiment, $0.measured, $0.verdict] }))]))
        for (title, rows) in [("Closed loop", closedModes), ("Open loop", openModes)] where !rows.isEmpty {
            var blocks: [ReportBlock] = [.paragraph("\(shapes(rows)). Server on its own core, load generator on another; per-request figures "
                + "are the server's own counters over the measured window (perf for syscalls and context switches, getrusage for CPU, "
                + "including worker processes). Softirqs and IRQs are machine-wide, divided by this server's requests. \(spreadNote.prefix(1).uppercased() + spreadNote.dropFirst()).")]
            let header = ["Mode", "isolation", "io", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "syscalls/req", "engine syscalls/req",
                          "ctx switches/req", "kernel CPU share", "service µs/req", "NET softirqs/req", "IRQs/req", "softirq µs/req",
                          "uring enters/req", "SQEs/enter",
                          "non-2xx / socket errors / unsent"]
            blocks.append(.table(ReportTable(header: header, rows: rows.map { m in
                [m.mode, m.isolation ?? "?", m.io ?? "?", F.s(m.requestsPerSecond, 0), F.s(m.p50Millis, 3), F.s(m.p99Millis, 3),
                 F.s(m.cpuSecondsPerMillionRequests, 1), F.s(m.syscallsPerRequest, 2), F.s(m.engineSyscallsPerRequest, 2),
                 F.s(m.contextSwitchesPerRequest, 3), F.s(m.kernelShareOfCPU?.scaled(100), 1, "%"), F.s(m.serviceMicrosPerRequest, 1),
                 F.s(m.netSoftirqsPerRequest, 3), F.s(m.interruptsPerRequest, 3), F.s(m.softirqMicrosPerRequest, 2),
                 F.s(m.ioUringEntersPerRequest, 3), F.s(m.sqesPerEnter, 2),
                 "\(m.non2xx) / \(m.socketErrors) / \(m.unsentDue)"]
            })))
            let keys = LatencyHistogram.chartedPercentiles.map(LatencyHistogram.percentileKey)
            blocks.append(.paragraph("Latency percentiles, ms, client side from the \(title == "Open loop" ? "due time (no coordinated omission)" : "send time"); medians over the runs:"))
            blocks.append(.table(ReportTable(header: ["Mode"] + keys.map { "p" + $0 }, rows: rows.map { m in
                [m.mode] + keys.map { F.o(m.latencyPercentilesMillis[$0], 3) }
            })))
            out.append(ReportSection(title: "Per mode: \(title.lowercased())", level: 2, blocks: blocks))
        }
        if let rows = ioBound { out.append(ReportSection(title: "I/O-bound handlers", level: 2, blocks: ioBoundBlocks(rows))) }
        out.append(ReportSection(title: "Cold starts and memory per tenant", level: 2, blocks: coldBlocks))
        out.append(ReportSection(title: "Charts", level: 2, blocks: [.charts(charts.map(\.file))]))
        out.append(ReportSection(title: "Missing figures", level: 2, blocks: [
            missing.isEmpty ? .paragraph("None.") : .bullets(missing.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })]))
        return out
    }

    /// The I/O-bound experiment's table (Scripts/measure-io-bound, run by the study).
    func ioBoundBlocks(_ rows: [IOBoundRow]) -> [ReportBlock] {
        typealias F = StudyFormat
        guard let first = rows.first else { return [.paragraph("No I/O-bound run answered a request.")] }
        return [
            .paragraph("Scripts/measure-io-bound: the proxy handler (1 subrequest per request) and the fan-out (4 in parallel) against "
                + "`isoring origin` on the load generator's core (the origin on the server's engine), wrk with \(first.connections) "
                + "connections on the same core, the server alone on its own; closed loop. CPU from /proc/PID/stat (server and "
                + "workers), syscalls and context switches from perf stat -p (server and workers; origin apart), io_uring figures "
                + "from the server engine's own counters. "
                + (first.runs > 1 ? "Medians over \(first.runs) repetitions, min–max in brackets." : "One run per row.")),
            .table(ReportTable(
                header: ["handler", "io", "isolation", "req/s", "user µs/req", "kernel µs/req", "kernel share", "server syscalls/req",
                         "origin syscalls/req", "total syscalls/req", "server ctx switches/req", "uring enters/req", "SQEs/enter", "non-2xx"],
                rows: rows.map { r in
                    [r.handler, r.io, r.isolation, F.s(r.requestsPerSecond, 0), F.s(r.userMicrosPerRequest, 1), F.s(r.kernelMicrosPerRequest, 1),
                     F.s(r.kernelShareOfCPU.scaled(100), 0, "%"), F.s(r.serverSyscallsPerRequest, 3), F.s(r.originSyscallsPerRequest, 3),
                     F.s(r.totalSyscallsPerRequest, 3), F.s(r.serverContextSwitchesPerRequest, 3), F.s(r.ioUringEntersPerRequest, 3),
                     F.s(r.sqesPerEnter, 1), "\(r.non2xx)"]
                })),
        ]
    }

    var coldBlocks: [ReportBlock] {
        typealias F = StudyFormat
        var blocks: [ReportBlock] = []
        if coldStarts.isEmpty { blocks.append(.paragraph("No cold-start run.")) } else {
            blocks.append(.paragraph("Each sweep hits every tenant once, in order, on one connection, against a fresh server. Client figures "
                + "are arrival to response of each tenant's first request (the same measure in every model); server figures are an isolate's "
                + "create + prelude + script + first call, or a worker process's spawn to ready."))
            blocks.append(.table(ReportTable(
                header: ["Model", "tenants x runs", "client p50 ms", "client p99 ms", "server p50 ms", "server p99 ms", "create ms",
                         "prelude ms", "script ms", "first call ms", "KiB / tenant", "memory measured as"],
                rows: coldStartsInOrder.map { c in
                    [Self.coldLabel(c), "\(c.count) x \(c.runs)", F.s(c.clientP50Millis, 2), F.s(c.clientP99Millis, 2),
                     F.s(c.serverP50Millis, 2), F.s(c.serverP99Millis, 2), F.o(c.meanCreateMillis, 2), F.o(c.meanPreludeMillis, 2),
                     F.o(c.meanScriptMillis, 2), F.o(c.meanFirstCallMillis, 2), F.s(c.memoryKilobytesPerTenant, 0), c.memoryMethod]
                })))
        }
        if let n = node {
            blocks.append(.paragraph("Node.js \(n.nodeVersion): spawn to first response p50 \(F.f(n.p50Millis, 1)) ms over \(n.samplesMillis.count) spawns "
                + "(min \(F.f(n.samplesMillis.min() ?? 0, 1)), max \(F.f(n.samplesMillis.max() ?? 0, 1))); RSS at first response "
                + "\(F.f(n.medianRSSKilobytes, 0)) KiB" + (n.pssKilobytes?.isEmpty == false ? ", PSS \(F.s(n.memoryKilobytes, 0)) KiB" : "") + "."))
        } else {
            blocks.append(.paragraph("Node.js cold start: missing (\(notes.nodeMissing ?? "node is not installed"))."))
        }
        return blocks
    }

    var environmentLines: [String] {
        typealias F = StudyFormat
        var s: [String] = []
        if let e = environment {
            s.append("Kernel: \(e.kernelRelease) (\(e.kernelVersion)), \(e.machine)")
            s.append("CPU: \(e.cpuModel); \(e.cpuCount) logical CPUs, \(e.physicalCores.map(String.init) ?? "?") physical cores, online \(e.onlineCPUs)")
            let vulnerable = e.mitigations.filter { $0.value.hasPrefix("Vulnerable") }.keys.sorted()
            let mitigated = e.mitigations.filter { $0.value.hasPrefix("Mitigation") }.keys.sorted()
            s.append("Mitigations: \(mitigated.count) active (\(mitigated.joined(separator: ", "))); vulnerable: \(vulnerable.isEmpty ? "none" : vulnerable.joined(separator: ", "))")
            s.append("liburing \(e.liburingVersion ?? "unknown"), JavaScriptCore \(e.javaScriptCoreVersion ?? "unknown"); "
                + "perf_event_paranoid \(e.perfEventParanoid.map(String.init) ?? "?"), io_uring_disabled \(e.ioUringDisabled.map(String.init) ?? "?")")
            s.append("Measured at \(e.timestamp) on \(e.hostname)")
        } else {
            s.append("No server window in these runs: the machine facts are missing.")
        }
        if let p = notes.pinning { s.append("Pinning: \(p)") }
        if let c = notes.command { s.append("Command: `\(c)`") }
        s.append("Repetitions per mode: \(notes.repetitions.map(String.init) ?? "1"); the median is used, min–max shown when above 1")
        // Flags every mode shares once; then only what differs, per mode.
        let modeFlags = serverMode.sorted { $0.key < $1.key }
        var common = modeFlags.first?.value ?? [:]
        for (_, flags) in modeFlags { common = common.filter { flags[$0.key] == $0.value } }
        if !common.isEmpty {
            s.append("Server flags of every mode: " + common.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        // The io_uring knobs are spelled out in the engine's own description.
        let inEngine: Set = ["batch", "bufRing", "coopTaskrun", "deferTaskrun", "fixedFiles", "multishot", "sendZc", "sqpoll"]
        var owns: [(String, [String])] = []
        for (mode, flags) in modeFlags {
            let own = flags.filter { common[$0.key] == nil && !(flags["engine"] != nil && inEngine.contains($0.key)) }
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            if own.isEmpty { continue }
            if let i = owns.firstIndex(where: { $0.0 == own }) { owns[i].1.append(mode) } else { owns.append((own, [mode])) }
        }
        for (own, modes) in owns { s.append("Server flags, \(modes.joined(separator: ", ")): \(own)") }
        // Load settings: modes that share them on one line.
        var loads: [(String, [String])] = []
        for (mode, l) in loadSettings.sorted(by: { $0.key < $1.key }) {
            var t = "\(l.model) loop, \(l.connections) connections x \(l.pipeline), \(l.threads) thread(s), io \(l.io)"
            if let r = l.rate { t += ", rate \(F.f(r, 0))/s" }
            if let d = l.durationSeconds { t += ", \(F.f(d, 1)) s" }
            if let n = l.requestLimit { t += ", \(n) requests" }
            t += ", warm-up \(F.f(l.warmupSeconds, 1)) s"
            if l.tenants > 0 { t += ", \(l.tenants) tenants (\(l.tenantOrder)\(l.tenantOrder == "zipf" ? " s=\(l.zipfExponent)" : ""))" }
            if let i = loads.firstIndex(where: { $0.0 == t }) { loads[i].1.append(mode) } else { loads.append((t, [mode])) }
        }
        for (t, modes) in loads { s.append("Load, \(modes.joined(separator: ", ")): \(t)") }
        return s + (notes.notes ?? [])
    }
}
