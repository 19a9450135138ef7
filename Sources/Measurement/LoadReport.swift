// LoadReport: what `isoring load` measured on the client side, as written to its JSON file.

/// The settings of one load run, so a report can print them next to the results.
public struct LoadSettings: Sendable, Codable, Equatable {
    public var target: String
    /// "closed" (connections x pipeline outstanding) or "open" (constant rate).
    public var model: String
    public var connections: Int
    public var pipeline: Int
    public var threads: Int
    /// Requests per second asked for (open loop only).
    public var rate: Double?
    public var durationSeconds: Double?
    public var requestLimit: UInt64?
    public var warmupSeconds: Double
    public var tenants: Int
    public var zipfExponent: Double
    /// "zipf" or "sweep" (tenant K for the K-th request, each once per N).
    public var tenantOrder: String
    public var io: String
    public var cpu: Int?

    public init(target: String, model: String, connections: Int, pipeline: Int, threads: Int, rate: Double?,
                durationSeconds: Double?, requestLimit: UInt64?, warmupSeconds: Double, tenants: Int,
                zipfExponent: Double, tenantOrder: String, io: String, cpu: Int?) {
        self.target = target
        self.model = model
        self.connections = connections
        self.pipeline = pipeline
        self.threads = threads
        self.rate = rate
        self.durationSeconds = durationSeconds
        self.requestLimit = requestLimit
        self.warmupSeconds = warmupSeconds
        self.tenants = tenants
        self.zipfExponent = zipfExponent
        self.tenantOrder = tenantOrder
        self.io = io
        self.cpu = cpu
    }
}

/// Client-side failures, each counted once.
public struct SocketErrorCounts: Sendable, Codable, Equatable {
    public var connect: UInt64 = 0
    public var read: UInt64 = 0
    public var write: UInt64 = 0
    /// Responses the parser could not frame (the connection was dropped).
    public var framing: UInt64 = 0
    /// Connections the server closed while requests were outstanding.
    public var closedWithPending: UInt64 = 0
    public init() {}
    public var total: UInt64 { connect + read + write + framing + closedWithPending }
    public static func + (a: Self, b: Self) -> Self {
        var r = a
        r.connect += b.connect
        r.read += b.read
        r.write += b.write
        r.framing += b.framing
        r.closedWithPending += b.closedWithPending
        return r
    }
}

/// The client's result. Latency is measured from each request's due time in the open loop
/// (no coordinated omission) and from its send time in the closed loop.
public struct LoadReport: Sendable, Codable, Equatable {
    public var kind = "isoring-load"
    public var settings: LoadSettings
    /// Seconds of the measured part (after warm-up).
    public var measuredSeconds: Double
    /// Responses completed in the measured part.
    public var requests: UInt64
    public var requestsPerSecond: Double
    public var latency: LatencySummary
    /// Percentile (as text, e.g. "99.9") to nanoseconds, for charts.
    public var latencyPercentilesNanos: [String: UInt64]
    public var non2xx: UInt64
    public var statusCounts: [String: UInt64]
    public var socketErrors: SocketErrorCounts
    public var bytesReceived: UInt64
    /// Open loop: requests that were due but not sent before the end (the server fell behind).
    public var unsentDue: UInt64
    /// The server's window report, when the run drove the server's measurement window.
    public var server: ServerWindowRecord?

    public init(settings: LoadSettings, measuredSeconds: Double, requests: UInt64, latency: LatencySummary,
                latencyPercentilesNanos: [String: UInt64], non2xx: UInt64, statusCounts: [String: UInt64],
                socketErrors: SocketErrorCounts, bytesReceived: UInt64, unsentDue: UInt64,
                server: ServerWindowRecord? = nil) {
        self.settings = settings
        self.measuredSeconds = measuredSeconds
        self.requests = requests
        self.requestsPerSecond = measuredSeconds > 0 ? Double(requests) / measuredSeconds : 0
        self.latency = latency
        self.latencyPercentilesNanos = latencyPercentilesNanos
        self.non2xx = non2xx
        self.statusCounts = statusCounts
        self.socketErrors = socketErrors
        self.bytesReceived = bytesReceived
        self.unsentDue = unsentDue
        self.server = server
    }
}

extension LatencyHistogram {
    /// The percentiles a report's tables and the load generator's text show.
    public static let chartedPercentiles: [Double] = [50, 75, 90, 99, 99.9, 99.99, 100]

    /// The points of the latency-by-percentile plot (HdrHistogram's shape: dense in the tail).
    public static let distributionPercentiles: [Double] = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 100]

    /// Both sets, keyed by `percentileKey`.
    public var chartedPercentilesNanos: [String: UInt64] {
        var out: [String: UInt64] = [:]
        for p in Self.chartedPercentiles + Self.distributionPercentiles { out[Self.percentileKey(p)] = nanos(atPercentile: p) }
        return out
    }

    public static func percentileKey(_ p: Double) -> String {
        p == p.rounded() ? String(Int(p)) : String(p)
    }
}
