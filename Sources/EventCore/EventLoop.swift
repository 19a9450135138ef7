// EventLoop: one thread's loop: the turn (reap, handle, flush, one submission) and the routing
// of each completion to its connection. Connections, HTTP framing, response order, hand-over
// and the control endpoints live in the EventLoop+*.swift files beside this one.
import Platform
import HTTP1
import IOCore
import Responding
import Synchronization
#if canImport(Glibc)
import Glibc
import Logging
#endif

/// One event loop: owns one engine, its connection slots and a responder, and runs on one
/// thread. Data flows one way: a completion brings bytes, the connection's parser frames a
/// request, the responder answers now or later (see Responding.Responder), the answer goes to
/// the connection's output in request order, and at the end of the turn every connection with
/// output gets one send, so the next `submitAndReap` hands all of them to the kernel together
/// (one io_uring_enter for the whole turn).
public final class EventLoop {
    public let engine: any IOEngine
    /// What answers requests on this loop (the isolate runtime in the isolate model).
    public let responder: Responder
    /// Idle work run between turns (the isolate runtime's prewarm pool and housekeeping).
    public var hooks: [LoopHook] = []
    let options: LoopOptions
    let logger: Logger
    /// CLOCK_MONOTONIC nanoseconds; tests inject a clock they move by hand.
    let clock: () -> Int64

    var slots: [Connection] = []
    var freeSlots: [UInt32] = []
    var liveConnections = 0
    var completions: [Completion] = []
    var overflow: [Completion] = []
    var flushList: [UInt32] = []
    /// Output buffers for responses settled out of order, reused.
    var spareOutputs: [OutputBuffer] = []
    var listener: Int32 = -1
    var acceptArmed = false
    var acceptBackoff = false
    /// Clock seconds, read once per turn (idle timeout bookkeeping).
    var turnSeconds: Int64 = 0
    var lastTickNanos: Int64 = 0
    let stopFlag = Atomic<Bool>(false)
    /// Drain progress, bits of `DrainState` (see EventLoop+Drain.swift).
    let drainBits = Atomic<Int>(0)
    /// The connection whose request the responder is answering now (a late response for it
    /// completed inside that call must not re-enter its framing).
    var framing: Connection?
    /// Timers and client-socket operations of responders (see EventLoop+IO.swift).
    let io = LoopIOState()

    /// Request counters (read them on the loop thread, or as racy snapshots).
    public internal(set) var stats = LoopStats()
    /// Renders the text served at `GET /__isoring/metrics` (Prometheus format); nil = 404.
    public var metricsText: (() -> String)?
    /// Set in the process model: decides per request whether to answer or hand over. With a
    /// router the loop receives with `.recvOnce` (see ConnectionRouter).
    public var router: ConnectionRouter?
    /// This loop's tag, given to takers as the origin of connections it accepted.
    public var index: Int32 = 0
    /// Connections handed to this loop from other threads (`deliver`), adopted at turn start.
    let inbox = Mutex<[(fd: Int32, bytes: [UInt8], origin: Int32)]>([])
    let inboxCount = Atomic<Int>(0)
    /// With a router, requests are parsed in a copy: the parser decodes chunked bodies in
    /// place, and a connection handed over must carry the bytes exactly as the client sent them.
    var parseScratch = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)
    var parseScratchCapacity = 4096
    /// Answers the loop's other `/__isoring/...` endpoints (path, method) -> (status, content
    /// type, body), or nil for "not mine" (the request then goes to the responder). Runs on
    /// the loop thread: for rare control requests (the measurement window), not per request.
    public var controlEndpoint: ControlEndpoint?

    public init(engine: any IOEngine, responder: Responder, options: LoopOptions,
                clock: @escaping () -> Int64 = monotonicNanos,
                logger: Logger) {
        self.engine = engine
        self.responder = responder
        self.options = options
        self.clock = clock
        self.logger = logger
        let now = clock()
        turnSeconds = now / 1_000_000_000
        lastTickNanos = now
        completions.reserveCapacity(options.completionBatch)
        overflow.reserveCapacity(options.completionBatch)
        flushList.reserveCapacity(1024)
        // A responder with idle work of its own (the isolate runtime) runs it between turns.
        if let hook = responder as? LoopHook { hooks.append(hook) }
    }

    deinit { parseScratch.deallocate() }

    /// Starts accepting on a listening socket (the loop does not own or close it).
    public func listen(on fd: Int32) {
        listener = fd
        armAccept()
    }

    /// Asks the loop to stop after its current turn. Safe from any thread and from signal
    /// handling threads.
    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        engine.wakeup()
    }

    public var isStopping: Bool { stopFlag.load(ordering: .acquiring) }

    /// Connections open on this loop now.
    public var connectionCount: Int { liveConnections }

    /// Runs until `stop()`, or, when `untilIdle`, until no connection is left, or until a
    /// drain (EventLoop+Drain.swift) has no connection left.
    public func run(untilIdle: Bool = false) throws(IOError) {
        while !isStopping {
            drainInbox()
            if untilIdle && liveConnections == 0 { break }
            if drainBits.load(ordering: .relaxed) != 0 && drainTurn() { break }
            try turn()
        }
    }

    /// One turn: reap (waiting only when nothing is left over from the last turn), handle
    /// every completion, queue one send per connection with output, and submit it all with the
    /// next turn's single `submitAndReap`.
    public func turn() throws(IOError) {
        if drainBits.load(ordering: .relaxed) != 0 { closeIdleForDrain() }
        completions.removeAll(keepingCapacity: true)
        if !overflow.isEmpty {
            swap(&completions, &overflow)
        }
        // Output settled between turns (a late response) rides in this turn's submission,
        // which goes to the kernel before any waiting.
        if !flushList.isEmpty { flush() }
        // A hook with idle work left (the prewarm pool after a burst of new tenants) gets its
        // turns without waiting for I/O: one piece per turn, with a non-blocking reap between
        // two pieces, so a request that arrives meanwhile waits for one piece at most, and an
        // idle server refills its pool at once rather than one context per second.
        let wait = completions.isEmpty && !hooks.contains(where: { $0.wantsTurnEnd })
        _ = try engine.submitAndReap(wait: wait, timeoutNanos: 1_000_000_000, into: &completions)
        // One clock read per turn serves the idle timeout and the once-a-second tick.
        let now = clock()
        turnSeconds = now / 1_000_000_000
        // The Date header is cached per thread; this reformats only when the second changes.
        HTTPDate.refresh()
        for completion in completions {
            handle(completion)
        }
        flush()
        if hooks.contains(where: { $0.wantsTurnEnd }) {
            // Hand this turn's sends to the kernel before the idle work (a prewarmed context
            // takes milliseconds), so no response waits for it; completions that come back
            // now are handled next turn.
            _ = try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &overflow)
            for hook in hooks where hook.wantsTurnEnd { hook.turnEnded() }
            flush()
        }
        if now - lastTickNanos >= 1_000_000_000 {
            lastTickNanos = now
            tick()
        }
    }

    /// Once a second: hooks, the request and idle timeouts, re-arm a backed-off accept.
    func tick() {
        for hook in hooks { hook.tick() }
        enforceRequestTimeouts()
        closeIdleConnections()
        if acceptBackoff {
            acceptBackoff = false
            armAccept()
        }
    }

    // MARK: - Submitting

    /// Queues an operation; when the submission queue is full, flushes it first (completions
    /// that come back then are handled at the start of the next turn).
    @inline(__always)
    func submit(_ operation: Operation, _ token: Token) {
        while !engine.enqueue(operation, token: token.raw) {
            do {
                _ = try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &overflow)
            } catch {
                logger.error("engine failed while flushing a full submission queue: \(error)")
                return
            }
        }
    }

    func armAccept() {
        guard listener >= 0, !acceptArmed else { return }
        acceptArmed = true
        submit(.accept(listener: listener), Token(slot: 0, generation: 0, kind: .accept))
    }

    // MARK: - Completions

    func handle(_ c: Completion) {
        guard let token = Token(c.token) else {
            preconditionFailure("completion with a token this loop never issued: \(c.token)")
        }
        switch token.kind {
        case .accept:
            accepted(c)
            return
        case .timer:
            timerCompleted(generation: token.generation)
            return
        case .io:
            clientCompleted(c, slot: token.slot)
            return
        case .close where token.slot == Token.refusedSlot:
            return  // a connection refused for lack of a slot
        case .recv, .send, .close:
            break
        }
        // A slot is freed only when nothing is in flight on it, so a completion naming an
        // older generation is an engine bug; count it and keep it away from the new connection.
        let conn = slots[Int(token.slot)]
        guard conn.inUse, Token.generationBits(conn.generation) == token.generation else {
            stats.staleCompletions += 1
            if c.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: c.bufferIndex) }
            return
        }
        switch token.kind {
        case .recv: received(c, conn)
        case .send: sent(c, conn)
        default: closed(conn)
        }
    }

    func accepted(_ c: Completion) {
        if !c.hasMore { acceptArmed = false }
        if c.result >= 0 {
            stats.connectionsAccepted += 1
            if let conn = openConnection(fd: c.result) {
                conn.receiveState = .wanted
                markDirty(conn)
            }
        } else if c.result == -EMFILE || c.result == -ENFILE || c.result == -ENOBUFS || c.result == -ENOMEM {
            // Out of descriptors or memory: try again in a second instead of spinning.
            if !acceptBackoff {
                logger.warning("accept failed (\(errnoName(-c.result))); retrying in 1 s")
            }
            acceptBackoff = true
            return
        }
        if !acceptArmed && !isStopping && !listenerClosedForDrain { armAccept() }
    }

    func received(_ c: Completion, _ conn: Connection) {
        if !c.hasMore {
            conn.receiveState = .idle
            finished(conn)
        }
        guard c.result > 0 else {
            if c.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: c.bufferIndex) }
            if c.result == 0 && conn.taker != nil {
                // The taker reads the end of input itself; the hand-over goes on.
            } else if c.result == 0 {
                // Peer finished sending: answer what was read, then close (as nginx does).
                conn.drain()
            } else if c.result == -ENOBUFS {
                if conn.isOpen { conn.receiveState = .wanted }
            } else if c.result != -ECANCELED {
                // Reset or other error: nothing more can be sent either.
                abandon(conn)
            }
            markDirty(conn)
            release(conn)
            return
        }
        let bytes = UnsafeRawBufferPointer(engine.buffer(c.bufferIndex, count: Int(c.result)))
        conn.lastActivitySeconds = turnSeconds
        if conn.taker != nil {
            // Decided to hand over while this receive was in flight: the bytes travel along.
            if !conn.appendInput(bytes, limit: options.maxInputBytes) {
                conn.lifecycle = .open
                refuse(conn, HTTPParseError(status: 413, reason: "request too large"))
            }
        } else if conn.isOpen {
            receive(bytes, on: conn)
        }
        engine.recycle(bufferIndex: c.bufferIndex)
        if !c.hasMore && conn.isOpen { conn.receiveState = .wanted }
        markDirty(conn)
    }

    func sent(_ c: Completion, _ conn: Connection) {
        finished(conn)
        conn.sendInFlight = false
        if c.result < 0 && c.result != -ETIMEDOUT {
            conn.sending.removeAll()
            abandon(conn)
        } else if Int(c.result) < conn.sending.count {
            // A short send, or (blocking engine) one whose time slice ran out: the rest goes
            // again, and the send timeout counts from the last progress.
            if c.result > 0 {
                conn.sending.consume(Int(c.result))
                conn.sendProgressSeconds = turnSeconds
            }
            conn.sendInFlight = true
            conn.opsInFlight += 1
            submit(.send(fd: conn.fd, bytes: conn.sending.bytes),
                   Token(slot: conn.slot, generation: conn.generation, kind: .send))
            return
        } else {
            conn.sending.removeAll()
            // Reading may have paused because too much output was queued.
            if conn.isOpen && conn.inputEnd > conn.inputStart { processInput(conn) }
        }
        markDirty(conn)
        release(conn)
    }

    func closed(_ conn: Connection) {
        finished(conn)
        release(conn)
    }

    /// One operation on `conn` completed for the last time.
    @inline(__always)
    func finished(_ conn: Connection) {
        conn.opsInFlight -= 1
        precondition(conn.opsInFlight >= 0, "more completions than operations on slot \(conn.slot)")
    }
}
