// EngineCounters: the syscalls and batching an engine performed, counted where it makes them.

/// Counters every engine keeps for itself, incremented at the place each syscall is made, so
/// reports can show batching per engine and cross-check the kernel's own count (perf).
/// Plain integers, no atomics: an engine is owned by one thread.
public struct EngineCounters: Sendable, Equatable {
    /// io_uring_enter(2) calls (uring).
    public var enterCalls: UInt64 = 0
    /// SQEs handed to the kernel (uring).
    public var sqesSubmitted: UInt64 = 0
    /// CQEs reaped (uring) or completions produced (other engines).
    public var completions: UInt64 = 0
    /// epoll_wait(2) calls and the events they returned (epoll).
    public var epollWaitCalls: UInt64 = 0
    public var epollEvents: UInt64 = 0
    /// epoll_ctl(2) calls (epoll).
    public var epollCtlCalls: UInt64 = 0
    /// read/recv family calls (epoll, blocking).
    public var readCalls: UInt64 = 0
    /// write/send/writev family calls (epoll, blocking).
    public var writeCalls: UInt64 = 0
    /// accept4(2) calls (epoll, blocking).
    public var acceptCalls: UInt64 = 0
    /// close(2) calls made directly (not through a ring).
    public var closeCalls: UInt64 = 0
    /// Any other syscall an engine makes on the I/O path (eventfd reads, connect, ...).
    public var otherCalls: UInt64 = 0
    /// Receives that found the provided-buffer pool empty (ENOBUFS) and were re-armed.
    public var bufferExhaustions: UInt64 = 0
    /// Times the submission queue was full when an operation was queued.
    public var submissionQueueFull: UInt64 = 0

    public init() {}

    /// Every syscall this engine made on its I/O path.
    public var syscalls: UInt64 {
        enterCalls + epollWaitCalls + epollCtlCalls + readCalls + writeCalls + acceptCalls + closeCalls + otherCalls
    }

    /// Adds another engine's counters (one engine per thread; reports sum them).
    public static func + (a: EngineCounters, b: EngineCounters) -> EngineCounters {
        var r = EngineCounters()
        r.enterCalls = a.enterCalls + b.enterCalls
        r.sqesSubmitted = a.sqesSubmitted + b.sqesSubmitted
        r.completions = a.completions + b.completions
        r.epollWaitCalls = a.epollWaitCalls + b.epollWaitCalls
        r.epollEvents = a.epollEvents + b.epollEvents
        r.epollCtlCalls = a.epollCtlCalls + b.epollCtlCalls
        r.readCalls = a.readCalls + b.readCalls
        r.writeCalls = a.writeCalls + b.writeCalls
        r.acceptCalls = a.acceptCalls + b.acceptCalls
        r.closeCalls = a.closeCalls + b.closeCalls
        r.otherCalls = a.otherCalls + b.otherCalls
        r.bufferExhaustions = a.bufferExhaustions + b.bufferExhaustions
        r.submissionQueueFull = a.submissionQueueFull + b.submissionQueueFull
        return r
    }

    /// Named values, for reports and the metrics endpoint (names are perf-style, units last).
    public var named: [(String, UInt64)] {
        [("io_uring_enter_calls", enterCalls), ("io_uring_sqes_submitted", sqesSubmitted),
         ("completions", completions), ("epoll_wait_calls", epollWaitCalls),
         ("epoll_events", epollEvents), ("epoll_ctl_calls", epollCtlCalls),
         ("read_calls", readCalls), ("write_calls", writeCalls), ("accept_calls", acceptCalls),
         ("close_calls", closeCalls), ("other_calls", otherCalls),
         ("buffer_exhaustions", bufferExhaustions), ("submission_queue_full", submissionQueueFull)]
    }
}
