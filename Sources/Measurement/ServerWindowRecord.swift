// ServerWindowRecord: one measured window of `isoring serve --report`, with its mode and environment.

/// One isolate (or process) cold start, in nanoseconds per phase (the measurement layer's
/// copy of the isolates' record, so reports do not depend on the isolates module).
public struct ColdStartSample: Sendable, Codable, Equatable {
    public var tenant: String
    public var createNanos: Int
    public var preludeNanos: Int
    public var scriptNanos: Int
    public var firstCallNanos: Int
    public var totalNanos: Int { createNanos + preludeNanos + scriptNanos + firstCallNanos }

    public init(tenant: String, createNanos: Int, preludeNanos: Int, scriptNanos: Int, firstCallNanos: Int) {
        self.tenant = tenant
        self.createNanos = createNanos
        self.preludeNanos = preludeNanos
        self.scriptNanos = scriptNanos
        self.firstCallNanos = firstCallNanos
    }
}

/// Cold starts in a window: count and the spread of the total and of each phase, in ms.
public struct ColdStartSummary: Sendable, Codable, Equatable {
    public var count: Int
    public var p50TotalMs: Double
    public var p90TotalMs: Double
    public var p99TotalMs: Double
    public var meanTotalMs: Double
    public var meanCreateMs: Double
    public var meanPreludeMs: Double
    public var meanScriptMs: Double
    public var meanFirstCallMs: Double

    public init?(_ samples: [ColdStartSample]) {
        guard !samples.isEmpty else { return nil }
        let totals = samples.map { Double($0.totalNanos) / 1e6 }.sorted()
        func pct(_ p: Double) -> Double { totals[min(totals.count - 1, Int((p / 100) * Double(totals.count)))] }
        func mean(_ f: (ColdStartSample) -> Int) -> Double {
            samples.reduce(0.0) { $0 + Double(f($1)) } / Double(samples.count) / 1e6
        }
        count = samples.count
        p50TotalMs = pct(50)
        p90TotalMs = pct(90)
        p99TotalMs = pct(99)
        meanTotalMs = totals.reduce(0, +) / Double(totals.count)
        meanCreateMs = mean(\.createNanos)
        meanPreludeMs = mean(\.preludeNanos)
        meanScriptMs = mean(\.scriptNanos)
        meanFirstCallMs = mean(\.firstCallNanos)
    }
}

/// Server memory at the window's ends. Per-tenant memory is the RSS growth over the tenants
/// that cold-started in the window (isolates share one process, so PSS cannot split them).
public struct WindowMemory: Sendable, Codable, Equatable {
    public var rssStartBytes: UInt64?
    public var rssEndBytes: UInt64?
    public var pssEndKilobytes: UInt64?
    /// (rssEnd - rssStart) / cold starts in the window; nil with no cold starts.
    public var bytesPerNewTenant: Double?
    /// Process model: the live worker processes at the window's end and their summed PSS
    /// (smaps_rollup), so a tenant's own process is counted, which the front's RSS misses.
    public var workers: Int?
    public var workerPSSKilobytes: UInt64?

    public init(rssStartBytes: UInt64?, rssEndBytes: UInt64?, pssEndKilobytes: UInt64?, newTenants: Int) {
        self.rssStartBytes = rssStartBytes
        self.rssEndBytes = rssEndBytes
        self.pssEndKilobytes = pssEndKilobytes
        if newTenants > 0, let s = rssStartBytes, let e = rssEndBytes {
            bytesPerNewTenant = (Double(e) - Double(s)) / Double(newTenants)
        }
    }
}

/// What `isoring serve --report DIR` writes for one window (window-N.json) and what the
/// control endpoint `POST /__isoring/window/stop` answers.
public struct ServerWindowRecord: Sendable, Codable, Equatable {
    public var kind = "isoring-server-window"
    public var index: Int
    /// "control" (POST /__isoring/window/stop), "signal" (SIGUSR1) or "stop" (server exit).
    public var trigger: String
    public var pid: Int32
    /// Flags that define the mode: io, isolation, threads, pin and the io_uring knobs.
    public var mode: [String: String]
    public var environment: Environment
    public var window: WindowReport
    /// Server-side service time (routing and JavaScript) per request, microseconds.
    public var serviceMicrosPerRequest: Double?
    public var responses: [String: UInt64]
    public var coldStarts: ColdStartSummary?
    public var memory: WindowMemory
    public var notes: [String]

    public init(index: Int, trigger: String, pid: Int32, mode: [String: String], environment: Environment,
                window: WindowReport, serviceMicrosPerRequest: Double?, responses: [String: UInt64],
                coldStarts: ColdStartSummary?, memory: WindowMemory, notes: [String]) {
        self.index = index
        self.trigger = trigger
        self.pid = pid
        self.mode = mode
        self.environment = environment
        self.window = window
        self.serviceMicrosPerRequest = serviceMicrosPerRequest
        self.responses = responses
        self.coldStarts = coldStarts
        self.memory = memory
        self.notes = notes
    }
}
