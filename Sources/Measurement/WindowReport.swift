// WindowReport: per-request costs computed from two snapshots, with missing figures named.
import IOCore

/// Everything measured at one instant. Taken at the start and the end of a window.
public struct MeasurementSnapshot: Sendable {
    /// CLOCK_MONOTONIC, nanoseconds.
    public var monotonicNanos: UInt64
    public var requestsCompleted: UInt64
    /// The sum of all engines' counters at this instant.
    public var engine: EngineCounters
    /// nil when the source was unavailable (the window's `unavailable` says why).
    public var syscalls: SyscallCounts?
    public var softwareEvents: SoftwareEventCounts?
    public var rusageSelf: ResourceUsage
    public var rusageChildren: ResourceUsage
    public var softirqs: SoftIRQCounts?
    public var interrupts: InterruptCounts?
    public var cpuTimes: CPUTimes?

    public init(monotonicNanos: UInt64, requestsCompleted: UInt64, engine: EngineCounters = EngineCounters(),
                syscalls: SyscallCounts? = nil, softwareEvents: SoftwareEventCounts? = nil,
                rusageSelf: ResourceUsage = ResourceUsage(), rusageChildren: ResourceUsage = ResourceUsage(),
                softirqs: SoftIRQCounts? = nil, interrupts: InterruptCounts? = nil, cpuTimes: CPUTimes? = nil) {
        self.monotonicNanos = monotonicNanos
        self.requestsCompleted = requestsCompleted
        self.engine = engine
        self.syscalls = syscalls
        self.softwareEvents = softwareEvents
        self.rusageSelf = rusageSelf
        self.rusageChildren = rusageChildren
        self.softirqs = softirqs
        self.interrupts = interrupts
        self.cpuTimes = cpuTimes
    }
}

/// Figures divided by the requests completed in the window. nil means "not measured", and
/// the report's `missing` then holds the reason under the same key.
public struct PerRequestFigures: Sendable, Codable, Equatable {
    public var syscalls: Double?
    public var syscallsByName: [String: Double]?
    public var otherSyscalls: Double?
    /// Syscalls the engines counted themselves (cross-check for `syscalls`).
    public var engineSyscalls: Double?
    /// perf software event PERF_COUNT_SW_CONTEXT_SWITCHES.
    public var contextSwitches: Double?
    /// getrusage, self + reaped children.
    public var voluntaryContextSwitches: Double?
    public var involuntaryContextSwitches: Double?
    public var userMicros: Double?
    public var systemMicros: Double?
    /// MACHINE-WIDE sources divided by this server's requests.
    public var netRXSoftirqs: Double?
    public var netTXSoftirqs: Double?
    public var interrupts: Double?
    /// io_uring_enter calls counted by the engines.
    public var ioUringEnters: Double?

    public init() {}
}

/// The result of one measurement window (Codable for the JSON report).
public struct WindowReport: Sendable, Codable, Equatable {
    public var durationSeconds: Double
    public var requests: UInt64
    public var requestsPerSecond: Double?
    public var perRequest: PerRequestFigures
    /// SQEs submitted and CQEs reaped per io_uring_enter (uring engine only).
    public var sqesPerEnter: Double?
    public var cqesPerEnter: Double?
    /// System time over user + system time (self + children).
    public var kernelShareOfCPU: Double?
    /// (user + system) seconds of self + children per million requests.
    public var cpuSecondsPerMillionRequests: Double?

    // Raw deltas, so any figure can be recomputed.
    public var syscalls: SyscallCounts?
    public var softwareEvents: SoftwareEventCounts?
    public var rusageSelf: ResourceUsage
    public var rusageChildren: ResourceUsage
    public var engine: [String: UInt64]
    public var netRXSoftirqs: UInt64?
    public var netTXSoftirqs: UInt64?
    public var interrupts: UInt64?
    /// Machine-wide irq and softirq CPU time from /proc/stat.
    public var machineIRQMicros: UInt64?
    public var machineSoftirqMicros: UInt64?

    /// Keys of figures whose source is the whole machine, not this server.
    public var machineWide: [String]
    /// Figure name to the reason it is absent. Never a silent zero.
    public var missing: [String: String]

    static let machineWideKeys = ["perRequest.netRXSoftirqs", "perRequest.netTXSoftirqs", "perRequest.interrupts",
                                  "netRXSoftirqs", "netTXSoftirqs", "interrupts", "machineIRQMicros",
                                  "machineSoftirqMicros"]

    /// Computes the window from two snapshots. `unavailable` maps a source ("syscalls",
    /// "softwareEvents", "softirqs", "interrupts", "cpuTimes", or "syscalls.<name>") to why
    /// it could not be read; figures fed by it are reported missing with that reason.
    public init(start: MeasurementSnapshot, end: MeasurementSnapshot, unavailable: [String: String] = [:]) {
        var missing: [String: String] = [:]
        func reason(_ source: String) -> String { unavailable[source] ?? "\(source) was not read in both snapshots" }

        let nanos = end.monotonicNanos > start.monotonicNanos ? end.monotonicNanos - start.monotonicNanos : 0
        durationSeconds = Double(nanos) / 1e9
        requests = end.requestsCompleted > start.requestsCompleted ? end.requestsCompleted - start.requestsCompleted : 0
        let noRequests = "no requests completed in the window"
        if nanos > 0 { requestsPerSecond = Double(requests) / durationSeconds } else {
            missing["requestsPerSecond"] = "the window has zero length"
        }

        rusageSelf = end.rusageSelf - start.rusageSelf
        rusageChildren = end.rusageChildren - start.rusageChildren
        let cpu = rusageSelf + rusageChildren
        engine = WindowReport.delta(end.engine, start.engine)

        if let e = end.syscalls, let s = start.syscalls { syscalls = e - s } else {
            missing["syscalls"] = reason("syscalls")
        }
        if let e = end.softwareEvents, let s = start.softwareEvents { softwareEvents = e - s } else {
            missing["softwareEvents"] = reason("softwareEvents")
        }
        if let e = end.softirqs, let s = start.softirqs {
            let d = e - s
            netRXSoftirqs = d.netRX
            netTXSoftirqs = d.netTX
        } else {
            missing["netRXSoftirqs"] = reason("softirqs")
            missing["netTXSoftirqs"] = reason("softirqs")
        }
        if let e = end.interrupts, let s = start.interrupts { interrupts = (e - s).total } else {
            missing["interrupts"] = reason("interrupts")
        }
        if let e = end.cpuTimes, let s = start.cpuTimes {
            let d = e.all - s.all
            machineIRQMicros = d.irqMicros
            machineSoftirqMicros = d.softirqMicros
        } else {
            missing["machineIRQMicros"] = reason("cpuTimes")
            missing["machineSoftirqMicros"] = reason("cpuTimes")
        }

        if cpu.cpuMicros > 0 { kernelShareOfCPU = Double(cpu.systemMicros) / Double(cpu.cpuMicros) } else {
            missing["kernelShareOfCPU"] = "no CPU time was charged in the window"
        }
        let enters = engine["io_uring_enter_calls"] ?? 0
        if enters > 0 {
            sqesPerEnter = Double(engine["io_uring_sqes_submitted"] ?? 0) / Double(enters)
            cqesPerEnter = Double(engine["completions"] ?? 0) / Double(enters)
        } else {
            missing["sqesPerEnter"] = "no io_uring_enter calls counted by the engines"
            missing["cqesPerEnter"] = missing["sqesPerEnter"]
        }

        // Per-request figures: one division each, all guarded by requests > 0.
        var per = PerRequestFigures()
        if requests > 0 {
            let n = Double(requests)
            // (µs / 1e6) seconds per request, times 1e6 requests: numerically µs per request.
            cpuSecondsPerMillionRequests = Double(cpu.cpuMicros) / n
            per.userMicros = Double(cpu.userMicros) / n
            per.systemMicros = Double(cpu.systemMicros) / n
            per.voluntaryContextSwitches = Double(cpu.voluntaryContextSwitches) / n
            per.involuntaryContextSwitches = Double(cpu.involuntaryContextSwitches) / n
            let engineSyscalls = end.engine.syscalls > start.engine.syscalls ? end.engine.syscalls - start.engine.syscalls : 0
            per.engineSyscalls = Double(engineSyscalls) / n
            per.ioUringEnters = Double(enters) / n
            if let s = syscalls {
                per.syscalls = Double(s.total) / n
                per.otherSyscalls = Double(s.other) / n
                per.syscallsByName = s.byName.mapValues { Double($0) / n }
            }
            if let sw = softwareEvents { per.contextSwitches = Double(sw.contextSwitches) / n }
            if let v = netRXSoftirqs { per.netRXSoftirqs = Double(v) / n }
            if let v = netTXSoftirqs { per.netTXSoftirqs = Double(v) / n }
            if let v = interrupts { per.interrupts = Double(v) / n }
        }
        let perKeys: [(String, Bool, String?)] = [
            ("perRequest.syscalls", per.syscalls != nil, missing["syscalls"]),
            ("perRequest.syscallsByName", per.syscallsByName != nil, missing["syscalls"]),
            ("perRequest.otherSyscalls", per.otherSyscalls != nil, missing["syscalls"]),
            ("perRequest.contextSwitches", per.contextSwitches != nil, missing["softwareEvents"]),
            ("perRequest.netRXSoftirqs", per.netRXSoftirqs != nil, missing["netRXSoftirqs"]),
            ("perRequest.netTXSoftirqs", per.netTXSoftirqs != nil, missing["netTXSoftirqs"]),
            ("perRequest.interrupts", per.interrupts != nil, missing["interrupts"]),
            ("perRequest.userMicros", per.userMicros != nil, nil),
            ("perRequest.systemMicros", per.systemMicros != nil, nil),
            ("perRequest.voluntaryContextSwitches", per.voluntaryContextSwitches != nil, nil),
            ("perRequest.involuntaryContextSwitches", per.involuntaryContextSwitches != nil, nil),
            ("perRequest.engineSyscalls", per.engineSyscalls != nil, nil),
            ("perRequest.ioUringEnters", per.ioUringEnters != nil, nil),
            ("cpuSecondsPerMillionRequests", cpuSecondsPerMillionRequests != nil, nil),
        ]
        for (key, present, sourceReason) in perKeys where !present {
            missing[key] = requests == 0 ? noRequests : (sourceReason ?? noRequests)
        }
        for (source, why) in unavailable where source.hasPrefix("syscalls.") {
            missing["perRequest.syscallsByName." + source.dropFirst("syscalls.".count)] = why
        }
        perRequest = per
        machineWide = WindowReport.machineWideKeys
        self.missing = missing
    }

    /// EngineCounters' named values, end minus start, saturating.
    static func delta(_ end: EngineCounters, _ start: EngineCounters) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for ((name, e), (_, s)) in zip(end.named, start.named) { result[name] = e > s ? e - s : 0 }
        return result
    }
}
