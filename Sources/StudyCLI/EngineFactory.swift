// EngineFactory: the only place that names concrete engines; turns flags into an engine.
import ArgumentParser
import EngineBlocking
import EngineEpoll
import EngineURing
import IOCore

/// The io_uring knobs, each a flag, each printed in the start-up line and in reports.
struct URingFlags: ParsableArguments {
    @Flag(help: "Kernel thread polls the submission queue (IORING_SETUP_SQPOLL): no io_uring_enter to submit.")
    var sqpoll = false

    @Option(help: "With --sqpoll: idle time in ms before the SQ thread sleeps.")
    var sqpollIdleMs = 1000

    @Flag(help: "Defer task work to io_uring_enter (IORING_SETUP_DEFER_TASKRUN with SINGLE_ISSUER).")
    var deferTaskrun = false

    @Option(help: "Cooperative task running (IORING_SETUP_COOP_TASKRUN): completions wait for the loop's next io_uring_enter instead of interrupting it with an IPI (on|off; default on, off with --sqpoll or --defer-taskrun, which it cannot combine with).")
    var coopTaskrun: Switch?

    @Flag(help: "Accept into the registered file table (direct descriptors) and use fixed files.")
    var fixedFiles = false

    @Option(help: "Multishot accept and recv: one submission keeps producing completions (on|off).")
    var multishot: Switch = .on

    @Option(help: "Provided buffer ring for receives (on), or a buffer per recv (off).")
    var bufRing: Switch = .on

    @Option(help: "Most completions handled per loop turn.")
    var batch = 256

    @Flag(help: "Zero-copy sends (IORING_OP_SEND_ZC).")
    var sendZc = false

    @Option(help: "A wait for completions ends once this many µs have passed with at least one (min_wait_usec, Linux 6.12); with --wait-batch, fewer io_uring_enter calls when completions trickle in, at up to this much latency per wait (0 = off).")
    var minWaitUs = 0

    @Option(help: "With --min-wait-us: completions a wait asks for before min-wait has passed.")
    var waitBatch = 1

    @Option(help: "Submission queue entries.")
    var ringEntries = 2048

    @Option(help: "Receive buffers in the pool (uring and epoll).")
    var buffers = 4096

    @Option(help: "Size of one receive buffer in bytes (all engines).")
    var bufferSize = 4096

    func validate(io: EngineKind) throws {
        guard (1...32768).contains(ringEntries), ringEntries & (ringEntries - 1) == 0 else {
            throw ValidationError("--ring-entries must be a power of two between 1 and 32768, got \(ringEntries)")
        }
        guard (1...32768).contains(buffers), buffers & (buffers - 1) == 0 else {
            throw ValidationError("--buffers must be a power of two between 1 and 32768, got \(buffers)")
        }
        guard bufferSize >= 512 else { throw ValidationError("--buffer-size must be at least 512, got \(bufferSize)") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
        guard sqpollIdleMs >= 0 else { throw ValidationError("--sqpoll-idle-ms must not be negative") }
        guard (0...1_000_000).contains(minWaitUs) else { throw ValidationError("--min-wait-us must be between 0 and 1000000, got \(minWaitUs)") }
        guard (1...4096).contains(waitBatch) else { throw ValidationError("--wait-batch must be between 1 and 4096, got \(waitBatch)") }
        guard waitBatch == 1 || minWaitUs > 0 else {
            throw ValidationError("--wait-batch \(waitBatch) needs --min-wait-us: without it a wait could hold completions for up to a second")
        }
        if io != .uring && (sqpoll || deferTaskrun || coopTaskrun != nil || fixedFiles || sendZc || multishot == .off || bufRing == .off
                            || minWaitUs > 0 || waitBatch > 1) {
            throw ValidationError("io_uring knobs (--sqpoll, --defer-taskrun, --coop-taskrun, --fixed-files, --send-zc, --multishot, --buf-ring, --min-wait-us, --wait-batch) need --io uring")
        }
    }

    var options: URingOptions {
        var o = URingOptions()
        o.ringEntries = UInt32(ringEntries)
        o.sqpoll = sqpoll
        o.sqpollIdleMs = UInt32(sqpollIdleMs)
        o.deferTaskrun = deferTaskrun
        o.coopTaskrun = coopTaskrun?.isOn ?? !(sqpoll || deferTaskrun)
        o.fixedFiles = fixedFiles
        o.multishot = multishot.isOn
        o.bufRing = bufRing.isOn
        o.batch = batch
        o.sendZC = sendZc
        o.minWaitMicros = UInt32(minWaitUs)
        o.waitBatch = UInt32(waitBatch)
        o.bufferCount = buffers
        o.bufferSize = bufferSize
        return o
    }
}

/// Builds one engine per loop thread from the flags.
struct EngineFactory: Sendable {
    let io: EngineKind
    let uringOptions: URingOptions
    let bufferCount: Int
    let bufferSize: Int

    init(io: EngineKind, uring: URingFlags) {
        self.io = io
        self.uringOptions = uring.options
        self.bufferCount = uring.buffers
        self.bufferSize = uring.bufferSize
    }

    func make() throws -> any IOEngine {
        switch io {
        case .uring: return try URingEngine(options: uringOptions)
        case .epoll:
            var o = EpollOptions()
            o.bufferCount = bufferCount
            o.bufferSize = bufferSize
            return try EpollEngine(options: o)
        // Connection threads' reads and sends return once a second (the loop's timeoutNanos)
        // so their timeouts run; see BlockingEngine.
        case .blocking: return BlockingEngine(bufferCount: 4, bufferSize: bufferSize)
        }
    }

    var describe: String {
        switch io {
        case .uring: return "uring(\(uringOptions))"
        case .epoll: return "epoll(buffers=\(bufferCount)x\(bufferSize)B)"
        case .blocking: return "blocking"
        }
    }
}
