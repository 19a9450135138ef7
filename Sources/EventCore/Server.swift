// Server: starts N shared-nothing loops (one per core) or the blocking thread-per-connection
// model, each with its own engine and responder, and stops them on request.
import Platform
import HTTP1
import IOCore
import Responding
import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
import Logging
#endif

/// How the server maps connections to threads.
public enum ThreadingModel: Sendable {
    /// `threads` event loops, each with its own listener (SO_REUSEPORT), engine and responder.
    case loops(threads: Int)
    /// One acceptor and a bounded pool of connection threads, each serving one connection at a
    /// time with its own engine; responders are shared between threads and serialised.
    case threadPerConnection(maxThreads: Int)
}

public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port: UInt16 = 8080
    public var threading = ThreadingModel.loops(threads: 1)
    /// Pin loop i to CPU (i mod CPU count).
    public var pin = false
    public var loop = LoopOptions()
    /// False in a worker process: no listening socket; connections arrive through `deliver`
    /// (thread-per-connection model only).
    public var listens = true
    /// Connections delivered from another process are switched to non-blocking mode (epoll
    /// needs it) or to blocking mode (io_uring and blocking reads want it); the file status
    /// flags are shared with the sending process's copy, so the receiver sets its own.
    public var deliveredNonBlocking = false
    public init() {}
}

/// Makes the per-thread pieces; the CLI supplies these, naming concrete engines.
public struct ServerFactories {
    /// A new engine for loop `index` (called on that loop's thread).
    public var engine: (_ index: Int) throws -> any IOEngine
    /// A responder for loop `index` (called on that loop's thread; for the thread-per-connection
    /// model called once and shared).
    public var responder: (_ index: Int) throws -> Responder
    /// The process model: a router per loop (or per connection thread); nil = always respond.
    public var router: ((_ index: Int) throws -> ConnectionRouter?)?
    public init(engine: @escaping (_ index: Int) throws -> any IOEngine,
                responder: @escaping (_ index: Int) throws -> Responder) {
        self.engine = engine
        self.responder = responder
    }
}

/// A running server. `start()` returns once every loop is listening (or throws the first
/// start-up error); `stop()` asks all loops to finish; `wait()` joins them.
public final class Server: @unchecked Sendable {
    public let options: ServerOptions
    let factories: ServerFactories
    let logger: Logger
    var threads: [pthread_t] = []
    var listeners: [Int32] = []
    let lock = Mutex<[EventLoop]>([])
    var blocking: BlockingAcceptor?
    /// The port actually bound (differs from options.port when that was 0).
    public private(set) var port: UInt16 = 0
    /// Text for `GET /__isoring/metrics`, installed in every loop.
    public var metricsText: (() -> String)?
    /// Other `/__isoring/...` endpoints (the measurement window), installed in every loop.
    public var controlEndpoint: ControlEndpoint?

    public init(options: ServerOptions, factories: ServerFactories, logger: Logger) {
        self.options = options
        self.factories = factories
        self.logger = logger
    }

    /// The loops started so far (for counters and reports).
    public var loops: [EventLoop] { lock.withLock { $0 } }

    public func start() throws {
        switch options.threading {
        case .loops(let count):
            try startLoops(count: max(1, count))
        case .threadPerConnection(let maxThreads) where !options.listens:
            let acceptor = BlockingAcceptor(listener: -1, maxThreads: maxThreads, server: self)
            blocking = acceptor
            try acceptor.start()
        case .threadPerConnection(let maxThreads):
            let fd = try Socket.listen(host: options.host, port: options.port, reusePort: false, nonBlocking: false)
            Socket.setNoDelay(fd)
            listeners = [fd]
            port = Socket.localPort(fd)
            let acceptor = BlockingAcceptor(listener: fd, maxThreads: maxThreads, server: self)
            blocking = acceptor
            try acceptor.start()
        }
    }

    func startLoops(count: Int) throws {
        var port = options.port
        // SO_REUSEPORT would let a second server bind the same port silently and split the
        // connections with the first; nginx refuses with EADDRINUSE, and so do we: a probe bind
        // without SO_REUSEPORT fails if anyone already listens there.
        if port != 0 {
            let probe = try Socket.listen(host: options.host, port: port, reusePort: false, nonBlocking: true)
            close(probe)
        }
        for i in 0..<count {
            // The first listener may pick a free port; the rest share it through SO_REUSEPORT.
            let fd = try Socket.listen(host: options.host, port: port, reusePort: true, nonBlocking: true)
            Socket.setNoDelay(fd)
            if i == 0 {
                port = Socket.localPort(fd)
                self.port = port
            }
            listeners.append(fd)
        }
        let startup = StartupLatch(count: count)
        for i in 0..<count {
            let fd = listeners[i]
            let thread = try spawnThread(name: "isoring-loop-\(i)") { [self] in
                if options.pin { _ = isoring_pin_to_cpu(Int32(i % Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }
                let loop: EventLoop
                do {
                    let engine = try factories.engine(i)
                    let responder = try factories.responder(i)
                    loop = EventLoop(engine: engine, responder: responder, options: options.loop, logger: logger)
                    loop.metricsText = metricsText
                    loop.router = try factories.router?(i)
                    loop.index = Int32(i)
                    loop.controlEndpoint = controlEndpoint
                    loop.listen(on: fd)
                    lock.withLock { $0.append(loop) }
                } catch {
                    startup.fail("\(error)")
                    return
                }
                startup.ready()
                do {
                    try loop.run()
                } catch {
                    logger.error("loop \(i) stopped: \(error)")
                }
            }
            threads.append(thread)
        }
        if let failure = startup.wait() {
            stop()
            wait()
            throw ServerError(message: failure)
        }
    }

    /// Gives the server a connection from another process, with bytes already read from it:
    /// to loop `origin` (the one that accepted it first), or to the connection-thread pool.
    /// Safe from any thread.
    public func deliver(fd: Int32, bytes: [UInt8], origin: Int32) {
        Socket.setNonBlocking(fd, options.deliveredNonBlocking)
        if let b = blocking {
            b.deliver(fd, bytes: bytes, origin: origin)
            return
        }
        let all = loops
        guard !all.isEmpty else { close(fd); return }
        // A draining front's mark (DrainState.originBit) travels along but names no loop.
        let index = Int(origin & ~DrainState.originBit)
        let loop = all[index >= 0 && index < all.count ? index : 0]
        // A worker hands a connection back after answering on it; once this loop has drained
        // and left its run, nobody would read it: closing it is the drain's idle close.
        if loop.hasDrained { close(fd); return }
        loop.deliver(fd: fd, bytes: bytes, origin: origin)
    }

    /// Asks every loop to stop after its current turn.
    public func stop() {
        for loop in loops { loop.stop() }
        blocking?.stop()
    }

    /// Joins the loop threads and closes the listeners.
    public func wait() {
        for t in threads { pthread_join(t, nil) }
        threads.removeAll()
        blocking?.wait()
        for fd in listeners { close(fd) }
        listeners.removeAll()
    }

    /// All loops' engine counters, summed.
    public var engineCounters: EngineCounters {
        var total = loops.reduce(EngineCounters()) { $0 + $1.engine.counters }
        if let b = blocking { total = total + b.counters }
        return total
    }

    /// All loops' request counters, summed.
    public var stats: LoopStats {
        var total = loops.reduce(LoopStats()) { $0 + $1.stats }
        if let b = blocking { total = total + b.stats }
        return total
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Counts loops that finished starting, and keeps the first failure.
final class StartupLatch: @unchecked Sendable {
    let state: Mutex<(left: Int, failure: String?)>
    init(count: Int) { state = Mutex((left: count, failure: nil)) }
    func ready() { state.withLock { $0.left -= 1 } }
    func fail(_ message: String) { state.withLock { $0.left -= 1; if $0.failure == nil { $0.failure = message } } }
    func wait() -> String? {
        while true {
            let (left, failure) = state.withLock { ($0.left, $0.failure) }
            if left == 0 { return failure }
            usleep(1000)
        }
    }
}
