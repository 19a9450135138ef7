// StudyCharts: the report's charts: per-request costs grouped by isolation and I/O, latency distributions, cold starts, memory.
import Foundation

extension StudyReport {
    /// Modes in reading order: isolation model, then I/O engine, then closed before open loop,
    /// the engine's defaults ("uring-isolate") before its variants, then name.
    public var orderedModes: [ModeRow] {
        func rank(_ v: String?, _ order: [String]) -> Int { v.flatMap { order.firstIndex(of: $0) } ?? order.count }
        func key(_ m: ModeRow) -> (Int, Int, Int, Int, String) {
            (rank(m.isolation, ["isolate", "process", "cgi"]), rank(m.io, ["uring", "epoll", "blocking"]), m.shape.isOpen ? 1 : 0,
             m.mode.hasPrefix("\(m.io ?? "")-\(m.isolation ?? "")") ? 0 : 1, m.mode)
        }
        return modes.sorted { key($0) < key($1) }
    }

    var closedModes: [ModeRow] { orderedModes.filter { !$0.shape.isOpen } }
    var openModes: [ModeRow] { orderedModes.filter(\.shape.isOpen) }

    /// Groups rows under "isolate model, io_uring"-style headings.
    func grouped(_ rows: [ModeRow], _ values: (ModeRow) -> [Spread?]) -> [ChartGroup] {
        var groups: [ChartGroup] = []
        for m in rows {
            let title = "\(m.isolation ?? "?") model, \(Self.ioName(m.io))"
            let bar = ChartBar(label: m.mode, values: values(m))
            if groups.last?.title == title { groups[groups.count - 1].bars.append(bar) } else {
                groups.append(ChartGroup(title: title, bars: [bar]))
            }
        }
        return groups
    }

    static func ioName(_ io: String?) -> String {
        switch io {
        case "uring": return "io_uring"
        case "epoll": return "epoll"
        case "blocking": return "blocking I/O"
        default: return io ?? "?"
        }
    }

    func shapes(_ rows: [ModeRow]) -> String {
        var seen: [String] = []
        for m in rows where !seen.contains(m.shape.description) { seen.append(m.shape.description) }
        return seen.joined(separator: "; ")
    }

    var spreadNote: String { (notes.repetitions ?? 1) > 1 ? "bar = median of \(notes.repetitions!) runs, whisker = min–max" : "one run per mode" }

    /// The charts a report carries: file name to SVG text.
    public var charts: [(file: String, svg: String)] {
        var out: [(String, String)] = []
        let all = orderedModes
        if !closedModes.isEmpty {
            out.append(("throughput.svg", SVGChart.bars(
                title: "Requests per second, closed loop", subtitle: "\(shapes(closedModes)); \(spreadNote)", unit: "req/s",
                series: ["req/s"], groups: grouped(closedModes) { [$0.requestsPerSecond] })))
            out.append(("latency-closed.svg", SVGChart.bars(
                title: "Client latency, closed loop (from send time)", subtitle: shapes(closedModes), unit: "ms",
                series: ["p50", "p99", "p99.9"], groups: grouped(closedModes) { [$0.p50Millis, $0.p99Millis, $0.p999Millis] })))
        }
        let perRequest = "server's own counters over the measured window; \(spreadNote)"
        out.append(("cpu-per-request.svg", SVGChart.bars(
            title: "Server CPU per request (user + system, incl. worker processes)", subtitle: perRequest, unit: "µs",
            series: ["CPU µs/request"], groups: grouped(all) { [$0.cpuSecondsPerMillionRequests] })))
        out.append(("syscalls-per-request.svg", SVGChart.bars(
            title: "Syscalls per request (perf raw_syscalls:sys_enter)", subtitle: perRequest, unit: "",
            series: ["syscalls"], groups: grouped(all) { [$0.syscallsPerRequest] })))
        out.append(("context-switches-per-request.svg", SVGChart.bars(
            title: "Context switches per request (perf software event)", subtitle: perRequest, unit: "",
            series: ["switches"], groups: grouped(all) { [$0.contextSwitchesPerRequest] })))
        out.append(("kernel-share.svg", SVGChart.bars(
            title: "Kernel share of the server's CPU time", subtitle: "system / (user + system); \(spreadNote)", unit: "%",
            series: ["kernel share"], groups: grouped(all) { [$0.kernelShareOfCPU?.scaled(100)] }, scale: .linear)))
        for (suffix, rows, from) in [("open", openModes, "due time"), ("closed", closedModes, "send time")] where !rows.isEmpty {
            out.append(("latency-distribution-\(suffix).svg", SVGChart.percentiles(
                title: "Latency by percentile, \(suffix) loop (client, from \(from))",
                subtitle: shapes(rows) + "; median of each percentile over the runs",
                lines: rows.map { PercentileLine(label: $0.mode, points: distribution($0)) })))
        }
        if !coldStarts.isEmpty || node != nil {
            let (rows, memory) = coldStartBars
            out.append(("cold-start.svg", SVGChart.bars(
                title: "Cold start: first response for a tenant never seen before", subtitle: "client side; Node.js: spawn to first response; \(spreadNote)",
                unit: "ms", series: ["p50", "p99"], groups: [ChartGroup(title: "first request per tenant", bars: rows)])))
            out.append(("memory-per-tenant.svg", SVGChart.bars(
                title: "Memory per tenant", subtitle: "isolates: RSS growth per tenant; processes: PSS; cgi keeps no process", unit: "KiB",
                series: ["KiB per tenant"], groups: [ChartGroup(title: "memory one more tenant costs", bars: memory)])))
        }
        return out
    }

    /// Percentile points a run of `samples` requests can resolve (past 1 - 1/samples they are the maximum).
    func distribution(_ m: ModeRow) -> [(percentile: Double, millis: Double)] {
        let limit = m.latencySamples > 0 ? 100 * (1 - 1 / Double(m.latencySamples)) : 99
        return LatencyHistogram.distributionPercentiles.filter { $0 < 100 && $0 <= limit }.compactMap { p in
            m.latencyPercentilesMillis[LatencyHistogram.percentileKey(p)].map { (p, $0) }
        }
    }

    static func coldLabel(_ c: ColdStartRow) -> String {
        let what = c.isolation == "isolate" ? (c.pooled ? "isolate, prewarmed pool" : "isolate") :
            c.isolation == "process" ? "process per tenant" : c.isolation == "cgi" ? "cgi, process per request" : (c.isolation ?? "?")
        return "\(what) (\(c.mode))"
    }

    var nodeLabel: String { "Node.js \(node?.nodeVersion ?? "") process" }

    /// Cold starts in reading order: isolate, isolate from a pool, process, cgi.
    var coldStartsInOrder: [ColdStartRow] {
        func rank(_ c: ColdStartRow) -> Int {
            c.isolation == "isolate" ? (c.pooled ? 1 : 0) : c.isolation == "process" ? 2 : c.isolation == "cgi" ? 3 : 4
        }
        return coldStarts.sorted { (rank($0), $0.mode) < (rank($1), $1.mode) }
    }

    /// Cold-start and memory rows: isolate (pooled and not), process, cgi, then Node.js.
    public var coldStartBars: ([ChartBar], [ChartBar]) {
        let sorted = coldStartsInOrder
        var times = sorted.map { ChartBar(label: Self.coldLabel($0), values: [$0.clientP50Millis, $0.clientP99Millis]) }
        var memory = sorted.map { ChartBar(label: Self.coldLabel($0), values: [$0.memoryKilobytesPerTenant]) }
        if let n = node {
            let p99 = StudyMath.percentile(n.samplesMillis, 99)
            times.append(ChartBar(label: nodeLabel, values: [Spread(n.p50Millis), p99.map { Spread($0) }]))
            memory.append(ChartBar(label: nodeLabel, values: [n.memoryKilobytes]))
        }
        return (times, memory)
    }
}

extension StudyMath {
    /// Nearest-rank percentile; nil when empty.
    static func percentile(_ v: [Double], _ p: Double) -> Double? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted()
        return s[min(s.count - 1, max(0, Int((p / 100 * Double(s.count)).rounded(.up)) - 1))]
    }
}
