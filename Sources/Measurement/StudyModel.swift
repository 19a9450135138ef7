// StudyModel: the comparison `isoring report` builds from run folders: per-mode rows, cold starts, claims.

/// One mode's figures, averaged over its repetitions (spread kept for req/s).
public struct ModeRow: Sendable, Codable, Equatable {
    public var mode: String
    public var runs: Int
    public var io: String?
    public var isolation: String?
    public var engine: String?
    public var requestsPerSecond: Double
    public var requestsPerSecondMin: Double
    public var requestsPerSecondMax: Double
    public var p50Millis: Double
    public var p99Millis: Double
    public var p999Millis: Double
    public var latencyPercentilesMillis: [String: Double]
    public var syscallsPerRequest: Double?
    public var engineSyscallsPerRequest: Double?
    public var contextSwitchesPerRequest: Double?
    public var kernelShareOfCPU: Double?
    public var cpuSecondsPerMillionRequests: Double?
    public var serviceMicrosPerRequest: Double?
    /// Machine-wide NET_RX + NET_TX softirqs per request.
    public var netSoftirqsPerRequest: Double?
    public var ioUringEntersPerRequest: Double?
    public var sqesPerEnter: Double?
    public var cqesPerEnter: Double?
    public var non2xx: UInt64
    public var socketErrors: UInt64
}

/// Cold starts measured in one mode (a sweep over fresh tenants).
public struct ColdStartRow: Sendable, Codable, Equatable {
    public var mode: String
    public var isolation: String?
    public var count: Int
    public var p50Millis: Double
    public var p99Millis: Double
    public var meanCreateMillis: Double
    public var meanPreludeMillis: Double
    public var meanScriptMillis: Double
    public var meanFirstCallMillis: Double
    /// Server RSS growth over the window divided by the tenants that started in it.
    public var bytesPerTenant: Double?
    /// Client-side latency of the first request per tenant, p50 (includes the cold start).
    public var clientP50Millis: Double
}

/// Spawn-to-first-response of a Node.js process serving a trivial handler.
public struct NodeColdStart: Sendable, Codable, Equatable {
    public var nodeVersion: String
    public var samplesMillis: [Double]
    public var rssKilobytes: [UInt64]
    public init(nodeVersion: String, samplesMillis: [Double], rssKilobytes: [UInt64]) {
        self.nodeVersion = nodeVersion
        self.samplesMillis = samplesMillis
        self.rssKilobytes = rssKilobytes
    }
    public var p50Millis: Double { StudyMath.median(samplesMillis) }
    public var medianRSSKilobytes: Double { StudyMath.median(rssKilobytes.map { Double($0) }) }
}

/// Facts about the whole study that only the script knows (written to study.json).
public struct StudyNotes: Sendable, Codable, Equatable {
    public var command: String?
    public var repetitions: Int?
    public var pinning: String?
    public var notBuilt: [String]?
    public var nodeMissing: String?
    public var notes: [String]?
    public init() {}
}

/// One claim of the talk, the experiment behind it, what this machine measured, and the verdict.
public struct ClaimRow: Sendable, Codable, Equatable {
    public var claim: String
    public var experiment: String
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
    /// Figure to the reason it is missing, for the whole report.
    public var missing: [String: String]
}

enum StudyMath {
    static func median(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
}
