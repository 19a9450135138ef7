// URingOptions: the io_uring engine's knobs, each one a command-line flag of `isoring serve`.

/// Every knob the uring engine has. Each is printed in reports (`description`), so a result
/// always says which io_uring features produced it.
public struct URingOptions: Sendable, Equatable, CustomStringConvertible {
    /// Submission queue entries (a power of two; the CQ gets four times as many, because
    /// multishot operations post many CQEs per SQE).
    public var ringEntries: UInt32 = 2048
    /// IORING_SETUP_SQPOLL: a kernel thread polls the SQ, so submitting needs no syscall while
    /// it is awake.
    public var sqpoll = false
    /// How long the SQPOLL thread spins idle before sleeping (sq_thread_idle).
    public var sqpollIdleMs: UInt32 = 1000
    /// IORING_SETUP_DEFER_TASKRUN (with SINGLE_ISSUER, Linux 6.1): completions are only
    /// produced when this thread enters the kernel to wait, never by interrupting it.
    public var deferTaskrun = false
    /// IORING_SETUP_COOP_TASKRUN (Linux 5.19): no IPI to run task work; it runs at the next enter.
    public var coopTaskrun = false
    /// Registered (direct) descriptors: accept straight into the ring's file table and address
    /// connections with IOSQE_FIXED_FILE, saving the per-op fd lookup and refcount.
    public var fixedFiles = false
    /// Size of the registered file table (capped at RLIMIT_NOFILE).
    public var fixedFileCount: UInt32 = 16384
    /// Multishot accept (5.19) and multishot recv (6.0, needs `bufRing`): one SQE, many CQEs.
    public var multishot = true
    /// A provided-buffer ring (IORING_REGISTER_PBUF_RING, 5.19): the kernel picks a buffer at
    /// receive time. Off: each receive takes a buffer from the pool when it is queued.
    public var bufRing = true
    /// Most completions handed out per submitAndReap call.
    public var batch = 256
    /// IORING_OP_SEND_ZC (6.0): zero-copy send; the send is reported once the kernel has
    /// released the buffer (its notification CQE).
    public var sendZC = false
    /// A wait for completions (the loop has nothing to do) asks for `waitBatch` of them, but
    /// ends once `minWaitMicros` has passed with at least one (IORING_ENTER_EXT_ARG's
    /// min_wait_usec, Linux 6.12): fewer wake-ups and io_uring_enter calls per request when
    /// completions trickle in, at the price of up to minWaitMicros of latency per wait.
    /// 0 and 1: a wait ends at the first completion.
    public var minWaitMicros: UInt32 = 0
    public var waitBatch: UInt32 = 1
    /// Receive buffers and their size in bytes (the buffer ring needs bufferCount <= 32768).
    public var bufferCount = 4096
    public var bufferSize = 4096

    public init() {}

    public var description: String {
        "entries=\(ringEntries) sqpoll=\(sqpoll ? "on(idle \(sqpollIdleMs)ms)" : "off") "
            + "defer-taskrun=\(onOff(deferTaskrun)) coop-taskrun=\(onOff(coopTaskrun)) "
            + "fixed-files=\(onOff(fixedFiles)) multishot=\(onOff(multishot)) "
            + "buf-ring=\(onOff(bufRing)) batch=\(batch) send-zc=\(onOff(sendZC)) "
            + "buffers=\(bufferCount)x\(bufferSize)B"
            + (minWaitMicros > 0 ? " wait-batch=\(waitBatch) min-wait=\(minWaitMicros)us" : "")
    }

    private func onOff(_ b: Bool) -> String { b ? "on" : "off" }
}
