// BlockingAcceptor: the thread-per-connection model: one thread blocks in accept (or, in a worker
// process, connections arrive over a channel), a bounded pool of connection threads each serves
// one connection at a time with blocking reads and writes.
import Platform
import HTTP1
import IOCore
import Responding
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Serialises a responder shared by connection threads (JavaScriptCore would serialise a
/// context group anyway; this lock also protects the runtime's Swift-side state). A response
/// the inner responder leaves pending is completed through its handle, on the thread of the
/// connection's own loop.
final class LockedResponder: Responder, LoopHook, SerialisedResponder, @unchecked Sendable {
    let inner: Responder
    let innerHook: LoopHook?
    var mutex = pthread_mutex_t()
    init(_ inner: Responder) {
        self.inner = inner
        self.innerHook = inner as? LoopHook
        pthread_mutex_init(&mutex, nil)
    }
    func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                 into out: OutputBuffer) -> ResponseProgress {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return inner.respond(to: request, in: bytes, handle: handle, into: out)
    }
    /// A completion of the runtime's own I/O (a timer, a subrequest) runs under the lock too.
    func serialised(_ body: () -> Void) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        body()
    }
    var wantsTurnEnd: Bool {
        guard let innerHook else { return false }
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return innerHook.wantsTurnEnd
    }
    func turnEnded() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        innerHook?.turnEnded()
    }
    func tick() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        innerHook?.tick()
    }
    func drainBegan(on sink: ResponseSink) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        innerHook?.drainBegan(on: sink)
    }
}

/// The blocking model. The pool is bounded (`maxThreads`); when every thread is busy a new
/// connection gets `503 Service Unavailable` and is closed, never an unbounded thread.
final class BlockingAcceptor: @unchecked Sendable {
    let listener: Int32
    let maxThreads: Int
    unowned let server: Server
    var mutex = pthread_mutex_t()
    var cond = pthread_cond_t()
    /// Connections waiting for a thread (at most the number of idle threads), with bytes
    /// already read from them (handed-over connections) and their origin tag.
    var queue: [(fd: Int32, bytes: [UInt8], origin: Int32)] = []
    var idle = 0
    var threadCount = 0
    var stopping = false
    /// Set by a drain just before the listener is shut down: the acceptor leaves.
    var listenerClosed = false
    var acceptorThread: pthread_t?
    var poolThreads: [pthread_t] = []
    var loopsOfPool: [EventLoop] = []
    var acceptorEngine: (any IOEngine)?
    var refused: UInt64 = 0
    var accepted: UInt64 = 0
    var shared: LockedResponder?
    /// Holds accepted connections until their first head is in (absent in a worker process,
    /// whose connections arrive with their request already read).
    var gate: HeadGate?
    var gateThread: pthread_t?
    /// Accepted connections not yet closed (in the gate, queued or on a thread), against
    /// --max-connections: past it a new connection is closed at once and counted as refused.
    let live = Atomic<Int>(0)
    /// A drain has begun: loops of threads started from now on drain too.
    let drainRequested = Atomic<Bool>(false)

    init(listener: Int32, maxThreads: Int, server: Server) {
        self.listener = listener
        self.maxThreads = max(1, maxThreads)
        self.server = server
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
    }

    func start() throws {
        let engine = try server.factories.engine(0)
        acceptorEngine = engine
        shared = LockedResponder(try server.factories.responder(0))
        // Without a listener (a worker process) connections only come through `hand`.
        guard listener >= 0 else { return }
        let gate = HeadGate(maxHeadBytes: server.options.loop.limits.maxHeaderBytes,
                            headerTimeoutSeconds: server.options.loop.timeouts.headerSeconds,
                            idleTimeoutSeconds: server.options.loop.idleTimeoutSeconds) {
            [unowned self] fd, bytes in hand(fd, bytes: bytes)
        }
        gate.dropped = { [unowned self] in live.subtract(1, ordering: .relaxed) }
        self.gate = gate
        gateThread = try spawnThread(name: "isoring-gate") { gate.run() }
        acceptorThread = try spawnThread(name: "isoring-accept") { [self] in acceptLoop(acceptorEngine!) }
    }

    func acceptLoop(_ engine: any IOEngine) {
        var completions: [Completion] = []
        completions.reserveCapacity(4)
        var backingOff = false
        while true {
            pthread_mutex_lock(&mutex)
            let stop = stopping || listenerClosed
            pthread_mutex_unlock(&mutex)
            if stop { return }
            _ = engine.enqueue(.accept(listener: listener), token: 0)
            completions.removeAll(keepingCapacity: true)
            do {
                _ = try engine.submitAndReap(wait: true, timeoutNanos: 0, into: &completions)
            } catch {
                server.logger.error("acceptor stopped: \(error)")
                return
            }
            for c in completions where c.result >= 0 {
                pthread_mutex_lock(&mutex)
                accepted += 1
                let full = live.load(ordering: .relaxed) >= server.options.loop.maxConnections
                if full { refused += 1 }
                pthread_mutex_unlock(&mutex)
                if full { close(c.result); continue }
                live.add(1, ordering: .relaxed)
                if let gate { gate.admit(c.result) } else { hand(c.result) }
            }
            if let c = completions.first, c.result == -EMFILE || c.result == -ENFILE {
                // Out of descriptors: the connection waits in the backlog; try again shortly.
                if !backingOff { server.logger.warning("accept failed (\(errnoName(-c.result))); retrying in 100 ms") }
                backingOff = true
                usleep(100_000)
            } else {
                backingOff = false
            }
        }
    }

    /// Gives a connection to an idle thread, starts a new one, or refuses with 503. `bytes`
    /// were already read from it (a handed-over connection); safe from any thread.
    func hand(_ fd: Int32, bytes: [UInt8] = [], origin: Int32 = 0) {
        pthread_mutex_lock(&mutex)
        if listener < 0 { accepted += 1 }
        if idle > queue.count {
            queue.append((fd, bytes, origin))
            pthread_cond_signal(&cond)
            pthread_mutex_unlock(&mutex)
            return
        }
        if threadCount < maxThreads {
            threadCount += 1
            let index = threadCount
            queue.append((fd, bytes, origin))
            pthread_mutex_unlock(&mutex)
            do {
                let t = try spawnThread(name: "isoring-conn-\(index)") { [self] in connectionThread(index) }
                pthread_mutex_lock(&mutex)
                poolThreads.append(t)
                pthread_mutex_unlock(&mutex)
            } catch {
                server.logger.error("\(error)")
            }
            return
        }
        refused += 1
        pthread_mutex_unlock(&mutex)
        if listener >= 0 { live.subtract(1, ordering: .relaxed) }
        let body = "all \(maxThreads) connection threads are busy\n"
        let text = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    func connectionThread(_ index: Int) {
        let loop: EventLoop
        do {
            let engine = try server.factories.engine(index)
            loop = EventLoop(engine: engine, responder: shared!, options: server.options.loop, logger: server.logger)
            loop.metricsText = server.metricsText
            loop.router = try server.factories.router?(index)
            loop.controlEndpoint = server.controlEndpoint
        } catch {
            server.logger.error("connection thread \(index) failed to start: \(error)")
            return
        }
        pthread_mutex_lock(&mutex)
        loopsOfPool.append(loop)
        pthread_mutex_unlock(&mutex)
        if drainRequested.load(ordering: .acquiring) {
            loop.beginDrain()
            loop.closeListenerForDrain()
        }
        while true {
            pthread_mutex_lock(&mutex)
            idle += 1
            while queue.isEmpty && !stopping {
                pthread_cond_wait(&cond, &mutex)
            }
            idle -= 1
            if stopping && queue.isEmpty {
                pthread_mutex_unlock(&mutex)
                return
            }
            let item = queue.removeFirst()
            pthread_mutex_unlock(&mutex)
            item.bytes.withUnsafeBytes { loop.adopt(fd: item.fd, initialBytes: $0, origin: item.origin) }
            do {
                try loop.run(untilIdle: true)
            } catch {
                server.logger.error("connection thread \(index): \(error)")
            }
            if listener >= 0 { live.subtract(1, ordering: .relaxed) }
        }
    }

    func stop() {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_cond_broadcast(&cond)
        let loops = loopsOfPool
        pthread_mutex_unlock(&mutex)
        // shutdown() wakes the thread blocked in accept(2) (it returns EINVAL).
        if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)) }
        gate?.stop()
        for loop in loops { loop.stop() }
    }

    func wait() {
        if let t = acceptorThread { pthread_join(t, nil) }
        acceptorThread = nil
        if let t = gateThread { pthread_join(t, nil) }
        gateThread = nil
        pthread_mutex_lock(&mutex)
        let pool = poolThreads
        poolThreads.removeAll()
        pthread_mutex_unlock(&mutex)
        for t in pool { pthread_join(t, nil) }
    }

    var counters: EngineCounters {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return loopsOfPool.reduce(acceptorEngine?.counters ?? EngineCounters()) { $0 + $1.engine.counters }
    }

    var stats: LoopStats {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        var s = loopsOfPool.reduce(LoopStats()) { $0 + $1.stats }
        s.connectionsAccepted += accepted
        s.connectionsRefused += refused
        s.headerTimeouts += gate?.timeouts.load(ordering: .relaxed) ?? 0
        s.idleTimeouts += gate?.idleClosed.load(ordering: .relaxed) ?? 0
        return s
    }
}
