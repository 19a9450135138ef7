// StudyModel: the comparison `isoring report` builds from run folders: per-mode rows, cold starts, claims.

/// A figure over a mode's repetitions: the median is the value used, min–max its spread.
public struct Spread: Sendable, Codable, Equatable {
    public var median: Double
    public var min: Double
    public var max: Double
    /// Repetitions that measured it.
    public var count: Int

    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        median = StudyMath.median(values)
        min = values.min()!
        max = values.max()!
        count = values.count
    }

    public init(_ value: Double) {
        median = value
        min = value
        max = value
        count = 1
    }

    /// Every figure scaled by `k` (units), spread kept.
    public func scaled(_ k: Double) -> Spread {
        var s = self
        s.median *= k
        s.min *= k
        s.max *= k
        return s
    }
}

/// How the load generator drove a run. Two runs compare like with like only when their
/// shapes are equal: same loop, same connections and pipelining, same offered rate, same
/// tenant mix. Durations may differ.
public struct LoadShape: Sendable, Codable, Equatable, Hashable {
    /// "open" (constant rate) or "closed" (connections x pipeline outstanding).
    public var model: String
    public var connections: Int
    public var pipeline: Int
    public var rate: Double?
    public var tenants: Int
    public var zipfExponent: Double
    public var tenantOrder: String

    public init(_ s: LoadSettings) {
        model = s.model
        connections = s.connections
        pipeline = s.pipeline
        rate = s.rate
        tenants = s.tenants
        zipfExponent = s.zipfExponent
        tenantOrder = s.tenantOrder
    }

    public var isOpen: Bool { model == "open" }

    /// "open loop at 2000 req/s, 32 connections, 100 tenants (zipf 1.1)".
    public var description: String {
        var t = isOpen ? "open loop at \(Int(rate ?? 0)) req/s, \(connections) connections" : "closed loop, \(connections) connections"
        if pipeline > 1 { t += " x \(pipeline) pipelined" }
        if tenants > 0 { t += ", \(tenants) tenants (\(tenantOrder)\(tenantOrder == "zipf" ? " \(zipfExponent)" : ""))" }
        return t
    }
}

/// One mode's figures: the median over its repetitions, with min–max.
public struct ModeRow: Sendable, Codable, Equatable {
    public var mode: String
    public var runs: Int
    public var io: String?
    public var isolation: String?
    public var engine: String?
    /// The server's mode flags (io, isolation, cpuLimitClock, isolateGroup, knobs).
    public var flags: [String: String]
    public var shape: LoadShape
    public var requestsPerSecond: Spread
    public var p50Millis: Spread
    public var p99Millis: Spread
    public var p999Millis: Spread
    /// Percentile key ("99.9") to the median over repetitions, in ms.
    public var latencyPercentilesMillis: [String: Double]
    /// Fewest latency samples in one repetition: percentiles past 1 - 1/samples are the maximum.
    public var latencySamples: UInt64
    public var syscallsPerRequest: Spread?
    public var engineSyscallsPerRequest: Spread?
    public var contextSwitchesPerRequest: Spread?
    public var kernelShareOfCPU: Spread?
    /// (user + system) CPU-seconds of the server and its children per million requests
    /// (numerically: CPU µs per request).
    public var cpuSecondsPerMillionRequests: Spread?
    public var serviceMicrosPerRequest: Spread?
    /// Machine-wide NET_RX + NET_TX softirqs per request.
    public var netSoftirqsPerRequest: Spread?
    /// Machine-wide hardware interrupts per request (/proc/interrupts).
    public var interruptsPerRequest: Spread?
    /// Machine-wide softirq CPU time per request, µs (/proc/stat): the receive path's work,
    /// charged to no process.
    public var softirqMicrosPerRequest: Spread?
    public var ioUringEntersPerRequest: Spread?
    public var sqesPerEnter: Spread?
    public var cqesPerEnter: Spread?
    public var non2xx: UInt64
    public var socketErrors: UInt64
    /// Open loop: requests due but never sent (the server fell behind the rate).
    public var unsentDue: UInt64
}

/// Cold starts measured in one mode (a sweep over fresh tenants), over its repetitions.
public struct ColdStartRow: Sendable, Codable, Equatable {
    public var mode: String
    public var isolation: String?
    /// Isolates taken from a prewarmed pool (`--prewarm`).
    public var pooled: Bool
    /// Tenants started per repetition.
    public var count: Int
    public var runs: Int
    /// Client side, first request per tenant: arrival to response, the same measure in every
    /// model (and the one Node.js gets: spawn to first response).
    public var clientP50Millis: Spread
    public var clientP99Millis: Spread
    /// Server side: isolate create + prelude + script + first call; process spawn to ready.
    public var serverP50Millis: Spread?
    public var serverP99Millis: Spread?
    /// Isolate phases (means, medians over repetitions); nil for processes.
    public var meanCreateMillis: Double?
    public var meanPreludeMillis: Double?
    public var meanScriptMillis: Double?
    public var meanFirstCallMillis: Double?
    /// KiB a tenant adds: isolates the server's RSS growth over the sweep per tenant; the
    /// process model its workers' PSS plus the front's RSS growth, per tenant. nil for cgi.
    public var memoryKilobytesPerTenant: Spread?
    /// How `memoryKilobytesPerTenant` was measured, or why it is absent.
    public var memoryMethod: String
}

/// Spawn-to-first-response of a Node.js process serving a trivial handler.
public struct NodeColdStart: Sendable, Codable, Equatable {
    public var nodeVersion: String
    public var samplesMillis: [Double]
    public var rssKilobytes: [UInt64]
    /// PSS at first response (smaps_rollup), comparable with the worker processes' PSS.
    public var pssKilobytes: [UInt64]?
    public init(nodeVersion: String, samplesMillis: [Double], rssKilobytes: [UInt64], pssKilobytes: [UInt64]? = nil) {
        self.nodeVersion = nodeVersion
        self.samplesMillis = samplesMillis
        self.rssKilobytes = rssKilobytes
        self.pssKilobytes = pssKilobytes
    }
    public var p50Millis: Double { StudyMath.median(samplesMillis) }
    public var medianRSSKilobytes: Double { StudyMath.median(rssKilobytes.map { Double($0) }) }
    /// PSS when measured, else RSS (a lone process's PSS and RSS differ only by shared libraries).
    public var memoryKilobytes: Spread? {
        Spread((pssKilobytes?.isEmpty == false ? pssKilobytes! : rssKilobytes).map { Double($0) })
    }
    public var memoryMethod: String { pssKilobytes?.isEmpty == false ? "PSS at first response" : "RSS at first response" }
}

/// Facts about the whole study that only the script knows (written to study.json).
public struct StudyNotes: Sendable, Codable, Equatable {
    public var command: String?
    public var repetitions: Int?
    /// `Scripts/study --quick`: fewer, shorter runs; figures are indicative.
    public var quick: Bool?
    public var pinning: String?
    public var notBuilt: [String]?
    public var nodeMissing: String?
    /// Runs that produced no figures, with the reason (a server that exited during its run).
    public var failedRuns: [String]?
    /// Why the I/O-bound experiment (io-bound*.json from Scripts/measure-io-bound) did not run.
    public var ioBoundMissing: String?
    public var notes: [String]?
    public init() {}
}

/// One claim of the talk, the experiment behind it, what this machine measured, and the verdict.
public struct ClaimRow: Sendable, Codable, Equatable {
    public var claim: String
    /// The experiment: which runs, compared under which load shape.
    public var experiment: String
    /// The evidence: medians with their min–max over repetitions.
    public var measured: String
    public var verdict: String
}

public struct StudyReport: Sendable, Codable, Equatable {
    public var environment: Environment?
    public var serverMode: [String: [String: String]]
    public var loadSettings: [String: LoadSettings]
    public var notes: StudyNotes
    public var claims: [ClaimRow]
    public var modes: [ModeRow]
    public var coldStarts: [ColdStartRow]
    public var node: NodeColdStart?
    /// The I/O-bound experiment (handlers that fetch() from `isoring origin`), per handler and
    /// mode; nil in reports written before it existed.
    public var ioBound: [IOBoundRow]?
    /// Figure to the reason it is missing, for the whole report.
    public var missing: [String: String]
}

enum StudyMath {
    static func median(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
