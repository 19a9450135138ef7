// `isoring worker`: one tenant's process in the process and cgi models (started by `serve`,
// not by hand): takes connections over descriptor 3 and serves them with blocking syscalls.
import ArgumentParser
import CLinux
import EngineBlocking
import EventCore
import HTTP1
import IOCore
import Logging
import Isolates
import Platform
import Supervisor
#if canImport(Glibc)
import Glibc
import Tenants
#endif

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve one tenant's connections handed over by `isoring serve --isolation process|cgi` (started by serve).",
        shouldDisplay: false)

    @Option(help: "The tenant this process serves.")
    var tenant: String

    @Flag(help: "cgi model: answer one request, hand the connection back, exit.")
    var once = false

    @Option(help: "Folder of tenant scripts (default: the built-in demo tenants).")
    var tenants: String?

    @Option(help: "How requests find their tenant (as serve).")
    var routing: TenantRouting = .hostOrPath

    @Option(help: "CPU time one request may spend in JavaScript, in milliseconds.")
    var cpuLimitMs = 50

    @Option(help: "Clock for --cpu-limit-ms (as serve).")
    var cpuLimitClock: CPULimitClock = .lazy

    @OptionGroup var penaltyBox: PenaltyBoxFlags

    @OptionGroup var requestLimits: RequestLimitFlags

    @OptionGroup var workersAPI: WorkersAPIFlags
    @OptionGroup var asyncFlags: AsyncFlags

    @Option(help: "Most connection threads (concurrent connections of this tenant).")
    var maxThreads = 256

    @Option(help: "Least severe log level written (as serve).")
    var logLevel: Logger.Level = .info

    @Option(help: "Size of one receive buffer in bytes.")
    var bufferSize = 16 * 1024

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        // SIGTERM (the front's shutdown or an eviction) drains: blocked in every thread and
        // taken by `drainOnSignal`, as in serve.
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGINT, SIGTERM] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        Log.level = logLevel
        var log = Log.logger
        log[metadataKey: "process"] = "worker \(tenant) pid \(getpid())"
        let channel = WorkerChannel(fd: WorkerSpawner.channelFd)
        let source: TenantSource = tenants.map { .directory($0) } ?? .demo
        let names = TenantNames(source: source, routing: routing)
        let router = WorkerRouter(tenant: tenant, names: names, channel: channel, once: once)
        try workersAPI.apply()
        var isolateOptions = IsolateOptions()
        isolateOptions.cpuLimitMs = cpuLimitMs
        isolateOptions.routing = routing
        isolateOptions.penaltyBox = penaltyBox.policy
        var loopOptions = LoopOptions()
        requestLimits.apply(to: &loopOptions)
        asyncFlags.apply(to: &isolateOptions)
        loopOptions.blockingIO = true
        let size = bufferSize
        let clock = cpuLimitClock
        clock.applyToCurrentThread()

        if once {
            // cgi: one connection, served on this thread; the process exits when it is done.
            let runtime = try IsolateRuntime(options: isolateOptions, tenants: source, logger: log)
            guard channel.sendReady() == 0 else { Glibc.exit(1) }
            guard case .connection(let fd, let bytes, let origin) = channel.receive() else { Glibc.exit(0) }
            _ = channel.sendAck()
            IOCore.Socket.setNonBlocking(fd, false)
            let loop = EventLoop(engine: BlockingEngine(bufferCount: 4, bufferSize: size), responder: runtime,
                                 options: loopOptions, logger: log)
            loop.router = router
            let timeout = requestLimits.drainTimeoutS
            try drainOnSignal(signals, log: log) {
                loop.beginDrain()
                loop.closeListenerForDrain()
                // The loop finishes its connection and this process exits on the main thread;
                // past the drain timeout it is cut off here.
                sleep(UInt32(timeout))
            }
            bytes.withUnsafeBytes { loop.adopt(fd: fd, initialBytes: $0, origin: origin) }
            try? loop.run(untilIdle: true)
            Glibc.exit(0)
        }

        var options = ServerOptions()
        options.threading = .threadPerConnection(maxThreads: maxThreads)
        options.listens = false
        options.deliveredNonBlocking = false
        options.loop = loopOptions
        var factories = ServerFactories(
            engine: { _ in
                // Made on each connection thread, the thread that runs JavaScript.
                clock.applyToCurrentThread()
                return BlockingEngine(bufferCount: 4, bufferSize: size)
            },
            responder: { [log] _ in try IsolateRuntime(options: isolateOptions, tenants: source, logger: log) })
        factories.router = { _ in router }
        let server = Server(options: options, factories: factories, logger: log)
        try server.start()
        let timeout = requestLimits.drainTimeoutS
        try drainOnSignal(signals, log: log) { _ = server.drain(timeoutSeconds: timeout) }
        guard channel.sendReady() == 0 else { Glibc.exit(1) }
        while true {
            switch channel.receive() {
            case .connection(let fd, let bytes, let origin):
                // Acknowledged before it is served: the front may then drop its own copy.
                _ = channel.sendAck()
                server.deliver(fd: fd, bytes: bytes, origin: origin)
            case .ready, .ack:
                continue
            case .closed:
                // The front is gone (stopped, crashed) or evicted us: finish the connections
                // in flight (the drain thread exits the process), take no new ones.
                kill(getpid(), SIGTERM)
                while true { pause() }
            }
        }
    }
}

/// Starts a thread that waits for SIGTERM or SIGINT, runs `drain`, and exits the process with 0.
func drainOnSignal(_ signals: sigset_t, log: Logger, _ drain: @escaping @Sendable () -> Void) throws {
    _ = try spawnThread(name: "isoring-drain") {
        var set = signals
        var received: Int32 = 0
        sigwait(&set, &received)
        log.notice("signal \(received): draining")
        drain()
        _exit(0)
    }
}
