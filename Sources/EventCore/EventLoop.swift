// EventLoop: one thread's loop: completions in, HTTP framing, dispatch, responses out, batched.
import HTTP1
import IOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Options of one loop; the server fills them from the command line.
public struct LoopOptions: Sendable {
    public var limits = HTTPLimits()
    /// Connection slots per loop; an accept past this is closed at once and counted as refused.
    public var maxConnections = 16_384
    /// Output queued for one connection before it stops reading more pipelined requests.
    public var maxPendingOutputBytes = 1 << 20
    /// Seconds a connection may stay idle between requests (nothing buffered, nothing owed)
    /// before it is closed; 0 = never. nginx's keepalive_timeout; a request that has begun is
    /// the header and body timeouts' (`timeouts`).
    public var idleTimeoutSeconds = 60
    /// Timeouts over a request's head, the gaps in its body and a send the client does not
    /// read; see EventLoop+Timeouts.swift.
    public var timeouts = RequestTimeouts()
    /// Completions reaped per turn at most (the `--batch` knob bounds the engine side).
    public var completionBatch = 1024
    public init() {}
}

/// One event loop: owns one engine, its connection slots and a responder, and runs on one
/// thread. Data flows one way: a completion brings bytes, the connection's parser frames a
/// request, the responder writes the response into the connection's output, and at the end of
/// the turn every connection with output gets one send, so the next `submitAndReap` hands all
/// of them to the kernel together (one io_uring_enter for the whole turn).
public final class EventLoop {
    public let engine: any IOEngine
    /// What answers requests on this loop (the isolate runtime in the isolate model).
    public let responder: Responder
    let options: LoopOptions
    let log: @Sendable (String) -> Void

    var slots: [Connection] = []
    var freeSlots: [UInt32] = []
    var liveConnections = 0
    var completions: [Completion] = []
    var overflow: [Completion] = []
    var flushList: [UInt32] = []
    var listener: Int32 = -1
    var acceptArmed = false
    var acceptBackoff = false
    /// CLOCK_MONOTONIC seconds, read once per turn (idle timeout bookkeeping).
    var turnSeconds: Int64 = monotonicNanos() / 1_000_000_000
    let stopFlag = Atomic<Bool>(false)
    /// Drain progress, bits of `DrainState` (see EventLoop+Drain.swift).
    let drainBits = Atomic<Int>(0)

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
                log: @escaping @Sendable (String) -> Void) {
        self.engine = engine
        self.responder = responder
        self.options = options
        self.log = log
        completions.reserveCapacity(options.completionBatch)
        overflow.reserveCapacity(options.completionBatch)
        flushList.reserveCapacity(1024)
    }

    /// Starts accepting on a listening socket (the loop does not own or close it).
    public func listen(on fd: Int32) {
        listener = fd
        armAccept()
    }

    /// Takes over an already-accepted connection, with bytes that were already read from it
    /// (the blocking mode's connection threads and the process model's workers use this).
    public func adopt(fd: Int32, initialBytes: UnsafeRawBufferPointer, origin: Int32 = 0) {
        // Adopted between turns (a connection thread may have waited long): a fresh clock.
        turnSeconds = monotonicNanos() / 1_000_000_000
        guard let conn = openConnection(fd: fd) else { return }
        conn.origin = origin
        if initialBytes.count > 0 {
            receive(initialBytes, on: conn)
        }
        if !conn.closeAfterFlush && conn.handOverTo == nil { conn.wantsRecv = true }
        markDirty(conn)
        flush()
    }

    deinit { parseScratch.deallocate() }

    /// Gives the loop a connection from another thread (a worker handing one back); the loop
    /// adopts it at the start of its next turn. Safe from any thread.
    public func deliver(fd: Int32, bytes: [UInt8], origin: Int32) {
        inbox.withLock { $0.append((fd, bytes, origin)) }
        inboxCount.add(1, ordering: .releasing)
        engine.wakeup()
    }

    func drainInbox() {
        guard inboxCount.load(ordering: .acquiring) > 0 else { return }
        let items = inbox.withLock { box -> [(fd: Int32, bytes: [UInt8], origin: Int32)] in
            let taken = box
            box.removeAll()
            return taken
        }
        inboxCount.subtract(items.count, ordering: .releasing)
        for item in items {
            item.bytes.withUnsafeBytes { adopt(fd: item.fd, initialBytes: $0, origin: item.origin) }
        }
    }

    /// Asks the loop to stop after its current turn. Safe from any thread and from signal
    /// handling threads.
    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        engine.wakeup()
    }

    public var isStopping: Bool { stopFlag.load(ordering: .acquiring) }

    /// Runs until `stop()`, or, when `untilIdle`, until no connection is left.
    public func run(untilIdle: Bool = false) throws(IOError) {
        var lastTick = monotonicNanos()
        while !isStopping {
            drainInbox()
            if untilIdle && liveConnections == 0 { break }
            if drainBits.load(ordering: .relaxed) != 0 && drainTurn() { break }
            completions.removeAll(keepingCapacity: true)
            if !overflow.isEmpty {
                swap(&completions, &overflow)
            }
            let wait = completions.isEmpty
            _ = try engine.submitAndReap(wait: wait, timeoutNanos: 1_000_000_000, into: &completions)
            // One clock read per turn serves the idle timeout and the once-a-second tick.
            let now = monotonicNanos()
            turnSeconds = now / 1_000_000_000
            // The Date header is cached per thread; this reformats only when the second changes.
            HTTPDate.refresh()
            for completion in completions {
                handle(completion)
            }
            flush()
            if responder.hasIdleWork {
                // Hand this turn's sends to the kernel before the idle work (a prewarmed context
                // takes milliseconds), so no response waits for it; completions that come back
                // now are handled next turn.
                _ = try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &overflow)
                responder.turnEnded()
            }
            if now - lastTick >= 1_000_000_000 {
                lastTick = now
                tick()
            }
        }
    }

    /// Once a second: re-arm a backed-off accept.
    func tick() {
        responder.tick()
        enforceRequestTimeouts()
        closeIdleConnections()
        if acceptBackoff {
            acceptBackoff = false
            armAccept()
        }
    }

    /// Closes connections that received nothing for `idleTimeoutSeconds` and owe nothing
    /// (no send in flight): once a second, O(slots).
    func closeIdleConnections() {
        guard options.idleTimeoutSeconds > 0 else { return }
        let now = turnSeconds
        for conn in slots where conn.inUse && !conn.closeQueued && !conn.closeAfterFlush && !conn.sendInFlight
            && conn.handOverTo == nil && conn.inputEnd == conn.inputStart
            && conn.pending.count == 0 && now - conn.lastActivitySeconds >= Int64(options.idleTimeoutSeconds) {
            stats.idleTimeouts += 1
            conn.closeAfterFlush = true
            markDirty(conn)
        }
        flush()
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
                log("engine failed while flushing a full submission queue: \(error)")
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
        case .accept: accepted(c)
        case .recv: received(c, token)
        case .send: sent(c, token)
        case .close: closed(c, token)
        case .timer: break
        }
    }

    func accepted(_ c: Completion) {
        if !c.hasMore { acceptArmed = false }
        if c.result >= 0 {
            stats.connectionsAccepted += 1
            if let conn = openConnection(fd: c.result) {
                conn.wantsRecv = true
                markDirty(conn)
            }
        } else if c.result == -EMFILE || c.result == -ENFILE || c.result == -ENOBUFS || c.result == -ENOMEM {
            // Out of descriptors or memory: try again in a second instead of spinning.
            if !acceptBackoff {
                log("accept failed (\(errnoName(-c.result))); retrying in 1 s")
            }
            acceptBackoff = true
            return
        }
        if !acceptArmed && !isStopping && !listenerClosedForDrain { armAccept() }
    }

    func received(_ c: Completion, _ token: Token) {
        let conn = slots[Int(token.slot)]
        if !c.hasMore {
            conn.recvArmed = false
            conn.opsInFlight -= 1
        }
        guard c.result > 0 else {
            if c.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: c.bufferIndex) }
            if c.result == 0 && conn.handOverTo != nil {
                // The taker reads the end of input itself; the hand-over goes on.
                markDirty(conn)
            } else if c.result == 0 {
                // Peer finished sending: answer what was read, then close (as nginx does).
                conn.closeAfterFlush = true
                markDirty(conn)
            } else if c.result == -ENOBUFS || c.result == -ETIMEDOUT {
                if !conn.closeAfterFlush { conn.wantsRecv = true }
                markDirty(conn)
            } else if c.result != -ECANCELED {
                // Reset or other error: nothing more can be sent either.
                conn.pending.removeAll()
                conn.closeAfterFlush = true
                markDirty(conn)
            }
            release(conn)
            return
        }
        let bytes = engine.buffer(c.bufferIndex, count: Int(c.result))
        conn.lastActivitySeconds = turnSeconds
        if conn.inUse && conn.handOverTo != nil {
            // Decided to hand over while this receive was in flight: the bytes travel along.
            let limit = options.limits.maxHeaderBytes + options.limits.maxBodyBytes * 2 + 64 * 1024
            if !conn.appendInput(UnsafeRawBufferPointer(bytes), limit: limit) { conn.handOverTo = nil; refuse(conn, HTTPParseError(status: 413, reason: "request too large")) }
        } else if conn.inUse && !conn.closeAfterFlush {
            receive(UnsafeRawBufferPointer(bytes), on: conn)
        }
        engine.recycle(bufferIndex: c.bufferIndex)
        if !c.hasMore && !conn.closeAfterFlush && conn.handOverTo == nil { conn.wantsRecv = true }
        markDirty(conn)
    }

    func sent(_ c: Completion, _ token: Token) {
        let conn = slots[Int(token.slot)]
        conn.opsInFlight -= 1
        conn.sendInFlight = false
        if c.result == -ETIMEDOUT || (c.result >= 0 && Int(c.result) < conn.sending.count) {
            if c.result > 0 {
                conn.sending.consume(Int(c.result))
                conn.sendProgressSeconds = turnSeconds
            }
            conn.sendInFlight = true
            conn.opsInFlight += 1
            submit(.send(fd: conn.fd, bytes: conn.sending.bytes),
                   Token(slot: conn.slot, generation: conn.generation, kind: .send))
            return
        } else if c.result < 0 {
            conn.sending.removeAll()
            conn.pending.removeAll()
            conn.closeAfterFlush = true
        } else {
            conn.sending.removeAll()
            // Reading may have paused because too much output was queued.
            if !conn.closeAfterFlush && conn.handOverTo == nil && conn.inputEnd > conn.inputStart { processInput(conn) }
        }
        markDirty(conn)
        release(conn)
    }

    func closed(_ c: Completion, _ token: Token) {
        if token.slot == UInt32.max { return }  // a refused connection
        let conn = slots[Int(token.slot)]
        conn.opsInFlight -= 1
        release(conn)
    }

    // MARK: - Connections

    func openConnection(fd: Int32) -> Connection? {
        let conn: Connection
        if let slot = freeSlots.popLast() {
            conn = slots[Int(slot)]
        } else if slots.count < options.maxConnections {
            conn = Connection(slot: UInt32(slots.count), limits: options.limits)
            slots.append(conn)
        } else {
            stats.connectionsRefused += 1
            submit(.close(fd: fd), Token(slot: UInt32.max, generation: 0, kind: .close))
            return nil
        }
        conn.open(fd: fd)
        conn.lastActivitySeconds = turnSeconds
        liveConnections += 1
        return conn
    }

    /// Frees the slot once the connection is closed and nothing on it is in flight.
    func release(_ conn: Connection) {
        guard conn.inUse, conn.closeQueued, conn.opsInFlight == 0 else { return }
        conn.inUse = false
        conn.fd = -1
        liveConnections -= 1
        freeSlots.append(conn.slot)
    }

    @inline(__always)
    func markDirty(_ conn: Connection) {
        if !conn.dirty {
            conn.dirty = true
            flushList.append(conn.slot)
        }
    }

    /// End of turn: one send per connection with output, then receives, then closes. Sends
    /// go first so that an engine that runs operations in order answers before it blocks.
    func flush() {
        var i = 0
        while i < flushList.count {
            let conn = slots[Int(flushList[i])]
            i += 1
            conn.dirty = false
            guard conn.inUse, !conn.closeQueued else { continue }
            if conn.handOverTo != nil && !conn.sendInFlight && !conn.recvArmed && conn.pending.count == 0 {
                handOver(conn)
            }
            if !conn.sendInFlight && conn.pending.count > 0 {
                swap(&conn.pending, &conn.sending)
                conn.sendProgressSeconds = turnSeconds
                conn.sendInFlight = true
                conn.opsInFlight += 1
                submit(.send(fd: conn.fd, bytes: conn.sending.bytes),
                       Token(slot: conn.slot, generation: conn.generation, kind: .send))
            }
            if conn.closeAfterFlush {
                if !conn.sendInFlight && conn.pending.count == 0 {
                    conn.closeQueued = true
                    conn.opsInFlight += 1
                    submit(.close(fd: conn.fd), Token(slot: conn.slot, generation: conn.generation, kind: .close))
                }
            } else if conn.wantsRecv && !conn.recvArmed && conn.handOverTo == nil {
                conn.wantsRecv = false
                conn.recvArmed = true
                conn.opsInFlight += 1
                submit(router == nil ? .recv(fd: conn.fd) : .recvOnce(fd: conn.fd),
                       Token(slot: conn.slot, generation: conn.generation, kind: .recv))
            }
        }
        flushList.removeAll(keepingCapacity: true)
    }

    // MARK: - HTTP

    /// Appends received bytes to the connection's input and answers every whole request in it.
    func receive(_ bytes: UnsafeRawBufferPointer, on conn: Connection) {
        let limit = options.limits.maxHeaderBytes + options.limits.maxBodyBytes * 2 + 64 * 1024
        if !conn.appendInput(bytes, limit: limit) {
            refuse(conn, HTTPParseError(status: 413, reason: "request too large"))
            return
        }
        processInput(conn)
    }

    func processInput(_ conn: Connection) {
        while !conn.closeAfterFlush && conn.handOverTo == nil && conn.inputEnd > conn.inputStart {
            if conn.pending.count >= options.maxPendingOutputBytes { break }
            let buffer = router == nil ? conn.unconsumed : scratchCopy(conn.unconsumed)
            switch conn.parser.parse(buffer) {
            case .incomplete:
                noteIncompleteRequest(conn)
                if conn.parser.takePendingContinue() {
                    HTTPResponseWriter.write100Continue(into: conn.pending)
                }
                return
            case .complete(let consumed):
                conn.headStartedSeconds = -1
                let request = conn.parser.request
                let keepAlive = request.keepAlive && !isStopping && !isDraining
                    && conn.origin & DrainState.originBit == 0
                var decision = RouteDecision.respond
                if let router, !(metricsText != nil && Self.targetIsMetrics(request.target, UnsafeRawBufferPointer(buffer))) {
                    decision = router.route(request, in: UnsafeRawBufferPointer(buffer))
                }
                if case .handOver(let taker) = decision {
                    // Input stays unconsumed from this request's start: it all goes along.
                    conn.parser.reset()
                    conn.handOverTo = taker
                    return
                }
                let status = dispatch(request, UnsafeRawBufferPointer(buffer), keepAlive: keepAlive, into: conn.pending)
                stats.count(status: status)
                conn.requests += 1
                conn.inputStart += consumed
                if !keepAlive { conn.closeAfterFlush = true }
                if case .respondThenHandOver(let taker) = decision, keepAlive {
                    conn.parser.reset()
                    conn.handOverTo = taker
                    return
                }
            case .failed(let error):
                refuse(conn, error)
            }
        }
    }

    /// Copies unconsumed input into the loop's scratch buffer (router mode; see parseScratch).
    func scratchCopy(_ bytes: UnsafeMutableRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        if bytes.count > parseScratchCapacity {
            parseScratch.deallocate()
            var capacity = parseScratchCapacity * 2
            while capacity < bytes.count { capacity *= 2 }
            parseScratch = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            parseScratchCapacity = capacity
        }
        if bytes.count > 0 { parseScratch.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        return UnsafeMutableRawBufferPointer(start: parseScratch, count: bytes.count)
    }

    /// Gives the connection to its taker once nothing is in flight on it. On success the
    /// loop closes its own copy (the engines' close never calls shutdown(2)); on failure it
    /// answers 502 and closes.
    func handOver(_ conn: Connection) {
        guard let taker = conn.handOverTo else { return }
        conn.handOverTo = nil
        let rc = taker.take(fd: conn.fd, bytes: UnsafeRawBufferPointer(conn.unconsumed),
                            origin: conn.origin | (isDraining ? DrainState.originBit : 0))
        conn.inputStart = conn.inputEnd
        conn.closeAfterFlush = true
        if rc == 0 {
            stats.requests += 1
            stats.handedOver += 1
            return
        }
        stats.handOverFailures += 1
        stats.count(status: 502)
        log("hand-over failed: \(errnoName(rc)); answered 502")
        HTTPResponseWriter.writeText(status: 502, "Bad Gateway: the tenant's worker process is not available\n",
                                     keepAlive: false, into: conn.pending)
    }

    /// Answers a request the parser refused and closes the connection after it.
    func refuse(_ conn: Connection, _ error: HTTPParseError) {
        stats.parseErrors += 1
        stats.count(status: error.status)
        HTTPResponseWriter.writeText(status: error.status, error.reason + "\n", keepAlive: false, into: conn.pending)
        conn.closeAfterFlush = true
        conn.inputStart = conn.inputEnd
    }

    /// Routes a request to the loop's own endpoints or to the responder.
    func dispatch(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                  into out: OutputBuffer) -> Int {
        let started = monotonicNanos()
        defer { stats.serviceNanos &+= UInt64(monotonicNanos() - started) }
        if let metrics = metricsText, Self.targetIsMetrics(request.target, bytes) {
            let text = metrics()
            HTTPResponseWriter.writeHead(status: 200, headers: [("content-type", "text/plain; version=0.0.4")],
                                         contentLength: text.utf8.count, keepAlive: keepAlive, into: out)
            if !request.isHead { out.append(text) }
            return 200
        }
        if let control = controlEndpoint, Self.targetHasPrefix(request.target, bytes, Self.controlPrefix),
           let answer = control(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.target]), as: UTF8.self),
                                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.method]), as: UTF8.self)) {
            HTTPResponseWriter.writeHead(status: answer.status, headers: [("content-type", answer.contentType)],
                                         contentLength: answer.body.utf8.count, keepAlive: keepAlive, into: out)
            if !request.isHead { out.append(answer.body) }
            return answer.status
        }
        return responder.respond(to: request, in: bytes, keepAlive: keepAlive, into: out)
    }

    static let controlPrefix: [UInt8] = Array("/__isoring/".utf8)

    static func targetHasPrefix(_ target: Range<Int>, _ bytes: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard target.count >= prefix.count else { return false }
        for i in 0..<prefix.count where bytes[target.lowerBound + i] != prefix[i] { return false }
        return true
    }

    static let metricsPath: [UInt8] = Array("/__isoring/metrics".utf8)

    static func targetIsMetrics(_ target: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let path = metricsPath
        guard target.count >= path.count else { return false }
        for i in 0..<path.count where bytes[target.lowerBound + i] != path[i] { return false }
        return target.count == path.count || bytes[target.lowerBound + path.count] == UInt8(ascii: "?")
    }
}

/// A control endpoint: (target, method) -> the answer, or nil when the path is not its own.
public typealias ControlEndpoint = (_ target: String, _ method: String) -> ControlAnswer?

public struct ControlAnswer: Sendable {
    public var status: Int
    public var contentType: String
    public var body: String
    public init(status: Int, contentType: String = "application/json", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// CLOCK_MONOTONIC in nanoseconds (a vDSO call, no syscall).
@inline(__always)
public func monotonicNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// "EMFILE" style name of an errno, for logs.
public func errnoName(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
