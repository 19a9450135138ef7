// PrometheusText: renders counters and gauges in the Prometheus text exposition format 0.0.4.
import IOCore

/// One metric family: a name, its help, its type and one or more labelled samples.
public struct PrometheusMetric: Sendable, Equatable {
    public enum Kind: String, Sendable { case counter, gauge }

    public struct Sample: Sendable, Equatable {
        public var labels: [Label]
        public var value: Double
        public init(labels: [Label] = [], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    public struct Label: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(name: String, help: String, kind: Kind, samples: [Sample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }

    /// A family with a single unlabelled sample.
    public init(name: String, help: String, kind: Kind, value: Double) {
        self.init(name: name, help: help, kind: kind, samples: [Sample(value: value)])
    }
}

/// The text format served at GET /__isoring/metrics (Content-Type
/// `text/plain; version=0.0.4`). Counter names end in _total, units are spelled out
/// before it (`_seconds_total`), as Prometheus naming asks.
public enum PrometheusText {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `# HELP`, `# TYPE`, then `name{labels} value` lines, one family after another.
    public static func render(_ metrics: [PrometheusMetric]) -> String {
        var out = ""
        for metric in metrics {
            precondition(isValidName(metric.name), "invalid Prometheus metric name \(metric.name)")
            out += "# HELP \(metric.name) \(escapeHelp(metric.help))\n"
            out += "# TYPE \(metric.name) \(metric.kind.rawValue)\n"
            for sample in metric.samples {
                out += metric.name
                if !sample.labels.isEmpty {
                    out += "{" + sample.labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
                }
                out += " " + format(sample.value) + "\n"
            }
        }
        return out
    }

    /// [a-zA-Z_:][a-zA-Z0-9_:]*
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 58 }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }

    /// Integers without a decimal point; NaN and infinities as Prometheus spells them.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        return String(value)
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }

    static func escapeLabel(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }

    /// The server's standard families. Optional sources that are unavailable are left out
    /// (absent, not zero), matching the report's "missing" rule.
    public static func isoringMetrics(requestsTotal: UInt64, engine: EngineCounters,
                                      syscalls: SyscallCounts?, softwareEvents: SoftwareEventCounts?,
                                      rusageSelf: ResourceUsage, rusageChildren: ResourceUsage,
                                      residentBytes: UInt64?) -> [PrometheusMetric] {
        typealias M = PrometheusMetric
        var metrics: [M] = [
            M(name: "isoring_requests_total", help: "HTTP requests completed.", kind: .counter,
              value: Double(requestsTotal)),
        ]
        if let s = syscalls {
            metrics.append(M(name: "isoring_syscalls_total",
                             help: "Syscalls entered by the server and its threads and children (perf raw_syscalls:sys_enter).",
                             kind: .counter, value: Double(s.total)))
            var samples = s.byName.sorted { $0.key < $1.key }.map {
                M.Sample(labels: [M.Label("syscall", $0.key)], value: Double($0.value))
            }
            samples.append(M.Sample(labels: [M.Label("syscall", "other")], value: Double(s.other)))
            metrics.append(M(name: "isoring_syscalls_by_name_total",
                             help: "Syscalls entered, by name (perf syscalls:sys_enter_<name>); other = the rest.",
                             kind: .counter, samples: samples))
        }
        if let sw = softwareEvents {
            metrics.append(M(name: "isoring_context_switches_total", help: "Context switches (perf software event).",
                             kind: .counter, value: Double(sw.contextSwitches)))
            metrics.append(M(name: "isoring_cpu_migrations_total", help: "CPU migrations (perf software event).",
                             kind: .counter, value: Double(sw.cpuMigrations)))
            metrics.append(M(name: "isoring_task_clock_seconds_total", help: "Task clock (perf software event).",
                             kind: .counter, value: Double(sw.taskClockNanos) / 1e9))
            metrics.append(M(name: "isoring_page_faults_total", help: "Page faults (perf software event).",
                             kind: .counter, value: Double(sw.pageFaults)))
        }
        func scoped(_ f: (ResourceUsage) -> UInt64, scale: Double = 1) -> [M.Sample] {
            [M.Sample(labels: [M.Label("scope", "self")], value: Double(f(rusageSelf)) * scale),
             M.Sample(labels: [M.Label("scope", "children")], value: Double(f(rusageChildren)) * scale)]
        }
        metrics.append(M(name: "isoring_cpu_user_seconds_total", help: "User CPU time (getrusage; children once reaped).",
                         kind: .counter, samples: scoped({ $0.userMicros }, scale: 1e-6)))
        metrics.append(M(name: "isoring_cpu_system_seconds_total", help: "System CPU time (getrusage; children once reaped).",
                         kind: .counter, samples: scoped({ $0.systemMicros }, scale: 1e-6)))
        metrics.append(M(name: "isoring_voluntary_context_switches_total", help: "Voluntary context switches (getrusage).",
                         kind: .counter, samples: scoped({ $0.voluntaryContextSwitches })))
        metrics.append(M(name: "isoring_involuntary_context_switches_total", help: "Involuntary context switches (getrusage).",
                         kind: .counter, samples: scoped({ $0.involuntaryContextSwitches })))
        for (name, value) in engine.named {
            metrics.append(M(name: "isoring_engine_\(name)_total", help: "Engine counter \(name), counted where the call is made.",
                             kind: .counter, value: Double(value)))
        }
        if let rss = residentBytes {
            metrics.append(M(name: "isoring_resident_memory_bytes", help: "Resident set size (/proc/self/statm).",
                             kind: .gauge, value: Double(rss)))
        }
        return metrics
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
