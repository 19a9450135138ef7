// MeasurementWindow: opens the in-process counters once and snapshots every source around a window.
#if canImport(Glibc)
import Platform
import Glibc
#endif
import IOCore

/// Holds the perf counters for the whole run and takes snapshots. Open it on the main thread
/// at start-up, BEFORE loop threads or worker processes are created: perf's inherit only
/// reaches tasks created after the counter (see SyscallCounter). Snapshots cost a few dozen
/// syscalls and /proc reads: take them per window or per metrics scrape, never per request.
public struct MeasurementWindow: Sendable {
    public let syscallCounter: SyscallCounter?
    public let softwareCounter: SoftwareEventCounter?
    /// Source ("syscalls", "softwareEvents", "syscalls.<name>", ...) to why it is unavailable.
    public private(set) var unavailable: [String: String]
    /// Notes for the report (for example that tracefs was mounted by us).
    public let notes: [String]
    public private(set) var startSnapshot: MeasurementSnapshot?
    /// Child processes that may still be alive (worker processes). getrusage(RUSAGE_CHILDREN)
    /// only covers children already reaped, so each snapshot adds the CPU time these have used
    /// so far (/proc/PID/stat, zombies included); once a child is reaped its whole time moves
    /// into RUSAGE_CHILDREN and the window's difference stays right.
    public var liveChildren: (@Sendable () -> [Int32])?

    public init(syscallCounter: SyscallCounter?, softwareCounter: SoftwareEventCounter?,
                unavailable: [String: String] = [:]) {
        self.syscallCounter = syscallCounter
        self.softwareCounter = softwareCounter
        var unavailable = unavailable
        for (name, why) in syscallCounter?.unavailable ?? [:] { unavailable["syscalls.\(name)"] = why }
        self.unavailable = unavailable
        notes = syscallCounter?.notes ?? []
    }

    /// Opens the syscall and software-event counters for this thread and its future
    /// descendants; what is refused is recorded, not thrown.
    public static func open(syscallNames: [String] = SyscallCounter.trackedNames) -> MeasurementWindow {
        var unavailable: [String: String] = [:]
        var syscalls: SyscallCounter?
        var software: SoftwareEventCounter?
        do { syscalls = try SyscallCounter.open(names: syscallNames) } catch { unavailable["syscalls"] = error.description }
        do { software = try SoftwareEventCounter.open() } catch { unavailable["softwareEvents"] = error.description }
        return MeasurementWindow(syscallCounter: syscalls, softwareCounter: software, unavailable: unavailable)
    }

    /// Reads every source now.
    public func snapshot(requestsCompleted: UInt64, engine: EngineCounters = EngineCounters()) -> MeasurementSnapshot {
        MeasurementSnapshot(
            monotonicNanos: UInt64(monotonicNanos()),
            requestsCompleted: requestsCompleted, engine: engine,
            syscalls: syscallCounter?.read(), softwareEvents: softwareCounter?.read(),
            rusageSelf: .current(.process), rusageChildren: childrenUsage(),
            softirqs: SoftIRQCounts.read(), interrupts: InterruptCounts.read(), cpuTimes: CPUTimes.read())
    }

    /// Reaped children (getrusage) plus the CPU time of children not reaped yet.
    func childrenUsage() -> ResourceUsage {
        var usage = ResourceUsage.current(.children)
        for pid in liveChildren?() ?? [] {
            guard let stat = ProcessStat.read(pid: pid) else { continue }
            usage.userMicros += stat.userMicros
            usage.systemMicros += stat.systemMicros
        }
        return usage
    }

    /// Marks the start of the window.
    public mutating func start(requestsCompleted: UInt64, engine: EngineCounters = EngineCounters()) {
        startSnapshot = snapshot(requestsCompleted: requestsCompleted, engine: engine)
    }

    /// Ends the window and computes the report. Without start() nothing is guessed: the
    /// report is empty and says so under missing["window"].
    public func finish(requestsCompleted: UInt64, engine: EngineCounters = EngineCounters()) -> WindowReport {
        let end = snapshot(requestsCompleted: requestsCompleted, engine: engine)
        guard let start = startSnapshot else {
            var report = WindowReport(start: end, end: end, unavailable: unavailable)
            report.missing["window"] = "finish() was called without start()"
            return report
        }
        var why = unavailable
        if end.softirqs == nil { why["softirqs"] = "/proc/softirqs is unreadable" }
        if end.interrupts == nil { why["interrupts"] = "/proc/interrupts is unreadable" }
        if end.cpuTimes == nil { why["cpuTimes"] = "/proc/stat is unreadable" }
        return WindowReport(start: start, end: end, unavailable: why)
    }
}
