// Isolate+Async: handlers that await real work. A request whose promise is still pending after
// its microtasks, while the isolate has a timer or a subrequest outstanding, goes pending; the
// loop's timers and I/O completions re-enter the isolate, and the settled response goes back
// through its ResponseHandle.
import Glibc
import JSCGlue
import Responding

/// The isolate's outstanding asynchronous work. A reference type so the native bridge's
/// closures and the loop's completions share it.
final class IsolateAsync {
    /// A live timer: the request that armed it (its CPU time and loop) and the loop's handle.
    struct TimerOwner {
        let request: Int
        let response: ResponseHandle
    }
    /// Live timers by their JavaScript id (cleared ones are removed; the loop's entry then
    /// fires into nothing).
    var timers: [Int: TimerOwner] = [:]
    /// Client operations in flight (subrequests), counted by whoever submits them.
    var operations = 0
    /// The request whose JavaScript runs now and its handle: what a timer or subrequest
    /// armed in this entry belongs to. The handle is nil outside a loop (tests that call the
    /// runtime directly): timers then run on virtual time.
    var request = 0
    var response: ResponseHandle?
    /// The prelude's `fireTimerById`.
    var fireTimerFn: JSCValue?
    /// Wall-clock limit per request (`--request-timeout-ms`), nanoseconds; 0 = none.
    var requestTimeoutNanos: Int64 = 0
    /// What fetch() may reach, the runtime's kept-alive backend connections, and the
    /// subrequests in flight by id (for AbortSignal).
    var policy = SubrequestPolicy()
    var pool: BackendPool?
    var subrequests: [Int: Subrequest] = [:]
    /// Each subrequest's prelude callback, protected from GC until it is called or aborted.
    var callbacks: [Int: JSCValue] = [:]
    var nextSubrequest = 0
    /// Streamed responses by request id (Isolate+Stream.swift): each is outstanding work,
    /// since the loop calls back when the connection can take more.
    var streams: [Int: ResponseStream] = [:]

    var outstanding: Int { timers.count + operations + streams.count }
}

/// The thread's CPU time: in `isoring` the executable's clock_gettime answers it by
/// `--cpu-limit-clock` (lazy: a vDSO read, the same clock JSC's watchdog reads), so a request's
/// entries are summed on the watchdog's own clock without a syscall per entry.
@inline(__always) func threadCPUNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Tags of the isolate's loop timers: the kind in the top byte, an id below.
enum AsyncTag {
    static let timer: UInt64 = 1 << 56
    static let deadline: UInt64 = 2 << 56
    static let kindMask: UInt64 = 0xFF << 56
}

extension Isolate: LoopIOClient {
    /// After the dispatch call: keeps `id` pending when its promise is unsettled and something
    /// it may await is outstanding, on a loop that offers I/O. Returns false otherwise (the
    /// caller then answers "did not settle").
    func goPending(_ id: Int, response: ResponseHandle?, started: Int64) -> Bool {
        guard let response, async.outstanding > 0, let io = response.sink.loopIO else { return false }
        settler.detach(id, handle: response, jsNanos: threadCPUNanos() - started)
        if async.requestTimeoutNanos > 0 {
            io.schedule(atNanos: io.nowNanos + async.requestTimeoutNanos, client: self,
                        tag: AsyncTag.deadline | UInt64(id))
        }
        return true
    }

    func ioCompleted(tag: UInt64, result: Int32, bytes: UnsafeRawBufferPointer) {
        // Subrequests route their own completions (Fetch*.swift); nothing else submits here.
    }

    func timerFired(tag: UInt64) {
        let id = Int(tag & ~AsyncTag.kindMask)
        switch tag & AsyncTag.kindMask {
        case AsyncTag.timer:
            guard let owner = async.timers.removeValue(forKey: id), let fn = async.fireTimerFn else { return }
            enter(owner.request, owner.response) { ctx throws(JSCError) in
                _ = try ctx.call(fn, ctx.number(id))
            }
        case AsyncTag.deadline:
            // A streamed response has answered (its head is out); it ends with its stream.
            guard settler.openHandle(id) != nil, !settler.isStreaming(id) else { return }
            logger.warning("request timed out: its handler did not settle within \(async.requestTimeoutNanos / 1_000_000) ms")
            settler.completeText(id, status: 504, "Gateway Timeout: the handler did not settle in time\n")
            settler.deliverDetached()
        default:
            return
        }
    }

    /// Runs JavaScript on behalf of `request` (a timer's callback, a subrequest's completion):
    /// with the CPU limit set to what the request has left of it, the time added to the
    /// request's total, then delivers what settled and answers requests that can no longer
    /// settle.
    func enter(_ request: Int, _ response: ResponseHandle, _ body: (JSCContext) throws(JSCError) -> Void) {
        let open = settler.openHandle(request) != nil
        let limitNanos = Int64(cpuLimitMs) * 1_000_000
        if open && limitNanos > 0 {
            let used = settler.addJSNanos(request, 0)
            group.setExecutionTimeLimit(seconds: Double(max(limitNanos - used, 1_000_000)) / 1e9)
        }
        async.request = request
        async.response = response
        // As on Workers, a tenant's clock moves at I/O: it reads the time the timer fired or
        // the subrequest completed, and stands still again while this entry runs.
        requestClockMs = Self.wallClockMs()
        group.terminationRequested = false
        let started = threadCPUNanos()
        var caught: JSCError?
        do { try body(context) } catch { caught = error }
        let spent = threadCPUNanos() - started
        async.response = nil
        if open && limitNanos > 0 { group.setExecutionTimeLimit(seconds: Double(cpuLimitMs) / 1000) }
        if let caught {
            failed(request, caught)
        } else if group.terminationRequested || (open && limitNanos > 0 && settler.addJSNanos(request, spent) > limitNanos) {
            if settler.openHandle(request) != nil { cpuLimitExceeded(request) }
        }
        settleUnsettled()
        settler.deliverDetached()
        if !async.streams.isEmpty { pruneStreams() }
    }

    /// With nothing outstanding, a detached request still open can never settle: 500.
    private func settleUnsettled() {
        guard async.outstanding == 0 else { return }
        for id in settler.openDetached {
            logger.error("handler did not settle: its promise was still pending after everything it awaited completed")
            settler.completeText(id, status: 500, "handler did not settle\n")
        }
    }

    /// The native side of setTimeout/setInterval/clearTimeout.
    func addAsyncBridge(to bridge: JSCValue) {
        let ctx = context
        ctx.setProperty(bridge, "timerArmed", ctx.makeFunction { [unowned self] args in
            let c = args.context
            let id = c.toInt(args[0])
            let delayMs = max(0, c.toDouble(args[1]))
            guard let response = self.async.response, let io = response.sink.loopIO else {
                // No loop (a runtime called directly): virtual time, see `runTimers`.
                self.timersArmed = true
                return c.boolean(false)
            }
            self.async.timers[id] = IsolateAsync.TimerOwner(request: self.async.request, response: response)
            let delayNanos = delayMs.isFinite ? Int64(min(delayMs, 2_147_483_647) * 1_000_000) : 0
            io.schedule(atNanos: io.nowNanos + max(delayNanos, 1_000), client: self, tag: AsyncTag.timer | UInt64(id))
            return c.boolean(true)
        })
        ctx.setProperty(bridge, "timerCleared", ctx.makeFunction { [unowned self] args in
            self.async.timers[args.context.toInt(args[0])] = nil
            return args.context.undefined
        })
    }
}
