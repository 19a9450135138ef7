// SoftwareEventCounter: kernel software events (context switches, migrations, task clock, faults).

/// Values of the software perf events, same scope rules as SyscallCounter.
public struct SoftwareEventCounts: Sendable, Codable, Equatable {
    public var contextSwitches: UInt64 = 0
    public var cpuMigrations: UInt64 = 0
    /// PERF_COUNT_SW_TASK_CLOCK: CPU time of the counted tasks, in nanoseconds.
    public var taskClockNanos: UInt64 = 0
    public var pageFaults: UInt64 = 0

    public init(contextSwitches: UInt64 = 0, cpuMigrations: UInt64 = 0, taskClockNanos: UInt64 = 0,
                pageFaults: UInt64 = 0) {
        self.contextSwitches = contextSwitches
        self.cpuMigrations = cpuMigrations
        self.taskClockNanos = taskClockNanos
        self.pageFaults = pageFaults
    }

    public static func - (end: Self, start: Self) -> Self {
        func sub(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : 0 }
        return Self(contextSwitches: sub(end.contextSwitches, start.contextSwitches),
                    cpuMigrations: sub(end.cpuMigrations, start.cpuMigrations),
                    taskClockNanos: sub(end.taskClockNanos, start.taskClockNanos),
                    pageFaults: sub(end.pageFaults, start.pageFaults))
    }
}

/// PERF_TYPE_SOFTWARE counters (PERF_COUNT_SW_CONTEXT_SWITCHES, _CPU_MIGRATIONS, _TASK_CLOCK,
/// _PAGE_FAULTS). Open it on the main thread before spawning threads, as SyscallCounter.
public final class SoftwareEventCounter: Sendable {
    // Config values from enum perf_sw_ids in linux/perf_event.h.
    static let taskClock: UInt64 = 1
    static let pageFaults: UInt64 = 2
    static let contextSwitches: UInt64 = 3
    static let cpuMigrations: UInt64 = 4

    public let scope: PerfScope
    let events: [PerfEvent]  // order: context switches, migrations, task clock, page faults

    init(scope: PerfScope) throws(MeasurementUnavailable) {
        self.scope = scope
        let specs: [(UInt64, String)] = [
            (Self.contextSwitches, "context-switches"), (Self.cpuMigrations, "cpu-migrations"),
            (Self.taskClock, "task-clock"), (Self.pageFaults, "page-faults"),
        ]
        var events: [PerfEvent] = []
        for (config, label) in specs {
            events.append(try PerfEvent(type: PerfEvent.typeSoftware, config: config, label: label, scope: scope))
        }
        self.events = events
    }

    /// This thread and its future descendants (pid 0, cpu -1, inherit 1), enabled.
    public static func open() throws(MeasurementUnavailable) -> SoftwareEventCounter {
        let counter = try SoftwareEventCounter(scope: .callingThreadAndDescendants)
        counter.enable()
        return counter
    }

    /// One other task (pid, cpu -1, no inherit), enabled.
    public static func open(pid: Int32) throws(MeasurementUnavailable) -> SoftwareEventCounter {
        let counter = try SoftwareEventCounter(scope: .task(pid: pid))
        counter.enable()
        return counter
    }

    public func read() -> SoftwareEventCounts {
        SoftwareEventCounts(contextSwitches: events[0].read() ?? 0, cpuMigrations: events[1].read() ?? 0,
                            taskClockNanos: events[2].read() ?? 0, pageFaults: events[3].read() ?? 0)
    }

    public func enable() { events.forEach { $0.enable() } }
    public func disable() { events.forEach { $0.disable() } }
    public func reset() { events.forEach { $0.reset() } }
}
