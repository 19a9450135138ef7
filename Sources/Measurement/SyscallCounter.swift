// SyscallCounter: counts this process's syscalls in the kernel (raw_syscalls:sys_enter + per-name).

/// Syscall counts read from the kernel: the total of raw_syscalls:sys_enter and the counts of
/// the per-syscall tracepoints syscalls:sys_enter_<name>.
public struct SyscallCounts: Sendable, Codable, Equatable {
    public var total: UInt64
    public var byName: [String: UInt64]

    public init(total: UInt64 = 0, byName: [String: UInt64] = [:]) {
        self.total = total
        self.byName = byName
    }

    /// Syscalls not among the named ones (total minus their sum, never below zero).
    public var other: UInt64 {
        let named = byName.values.reduce(0, +)
        return total > named ? total - named : 0
    }

    /// The change from `start` to `end` (saturating at zero per field, so a counter that
    /// went away does not produce a huge wrapped number).
    public static func - (end: SyscallCounts, start: SyscallCounts) -> SyscallCounts {
        var delta = SyscallCounts(total: end.total &- start.total)
        if start.total > end.total { delta.total = 0 }
        for (name, value) in end.byName {
            let before = start.byName[name] ?? 0
            delta.byName[name] = value > before ? value - before : 0
        }
        return delta
    }
}

/// Counts syscalls with perf_event_open on tracepoints, from inside the process.
///
/// Scope (see PerfScope): `open()` counts the CALLING THREAD and every thread or process it
/// creates after the counter is opened (inherit = 1). Threads that already exist are not
/// counted, so the server must open this on its main thread at start-up, before it spawns
/// loop threads or worker processes, and report deltas over a window (read at start and end).
/// Counts of live inherited threads and child processes are summed by the kernel on every
/// read; when an inherited task exits its count is folded into the parent's counter, so
/// nothing is lost either way (checked by the tests). `open(pid:)` counts one other task
/// without inheritance: exact for a single-threaded worker process.
///
/// Reading costs one read(2) per descriptor (1 + names), which the counter itself sees:
/// a window's figures include its own end-of-window reads (about 17 syscalls).
public final class SyscallCounter: Sendable {
    /// The syscalls the study names; everything else is "other".
    public static let trackedNames = [
        "io_uring_enter", "epoll_wait", "epoll_pwait", "epoll_pwait2", "read", "recvfrom",
        "write", "writev", "sendto", "sendmsg", "recvmsg", "accept4", "futex", "clone",
        "clone3", "close",
    ]

    public let scope: PerfScope
    let total: PerfEvent
    let named: [PerfEvent]
    /// Names asked for whose tracepoint could not be opened, with the reason.
    public let unavailable: [String: String]
    /// Facts a report should carry (for example that this process mounted tracefs).
    public let notes: [String]

    init(scope: PerfScope, total: PerfEvent, named: [PerfEvent], unavailable: [String: String],
         notes: [String]) {
        self.scope = scope
        self.total = total
        self.named = named
        self.unavailable = unavailable
        self.notes = notes
    }

    /// Opens and enables counters for this thread and its future descendants (pid 0,
    /// cpu -1, inherit 1). Throws when the total cannot be counted; a missing per-name
    /// tracepoint only lands in `unavailable`.
    public static func open(names: [String] = trackedNames) throws(MeasurementUnavailable) -> SyscallCounter {
        try open(scope: .callingThreadAndDescendants, names: names)
    }

    /// Opens and enables counters for one other task (pid, cpu -1, no inherit).
    public static func open(pid: Int32, names: [String] = trackedNames) throws(MeasurementUnavailable) -> SyscallCounter {
        try open(scope: .task(pid: pid), names: names)
    }

    static func open(scope: PerfScope, names: [String]) throws(MeasurementUnavailable) -> SyscallCounter {
        let location = try TraceFS.locate()
        let totalID = try TraceFS.tracepointID(category: "raw_syscalls", name: "sys_enter", in: location)
        let total = try PerfEvent(type: PerfEvent.typeTracepoint, config: totalID,
                                  label: "raw_syscalls:sys_enter", scope: scope)
        var named: [PerfEvent] = []
        var unavailable: [String: String] = [:]
        for name in names {
            do {
                let id = try TraceFS.tracepointID(category: "syscalls", name: "sys_enter_\(name)", in: location)
                named.append(try PerfEvent(type: PerfEvent.typeTracepoint, config: id, label: name, scope: scope))
            } catch {
                unavailable[name] = error.reason
            }
        }
        var notes: [String] = []
        if location.mountedByUs { notes.append("tracefs was not mounted; isoring mounted it at \(location.path)") }
        let counter = SyscallCounter(scope: scope, total: total, named: named,
                                     unavailable: unavailable, notes: notes)
        counter.enable()
        return counter
    }

    /// Names actually counted.
    public var names: [String] { named.map(\.label) }

    /// Current counts. Named counters are read before the total so that "other" never goes
    /// negative because of the reads themselves.
    public func read() -> SyscallCounts {
        var counts = SyscallCounts()
        for event in named {
            if let value = event.read() { counts.byName[event.label] = value }
        }
        counts.total = total.read() ?? 0
        return counts
    }

    public func enable() {
        named.forEach { $0.enable() }
        total.enable()
    }

    public func disable() {
        total.disable()
        named.forEach { $0.disable() }
    }

    public func reset() {
        total.reset()
        named.forEach { $0.reset() }
    }
}
