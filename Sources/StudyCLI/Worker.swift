// `isoring worker`: one tenant's process in the process and cgi models (started by `serve`,
// not by hand): takes connections over descriptor 3 and serves them with blocking syscalls.
import ArgumentParser
import CLinux
import EngineBlocking
import EventCore
import HTTP1
import IOCore
import Isolates
import Supervisor
#if canImport(Glibc)
import Glibc
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

    @OptionGroup var requestLimits: RequestLimitFlags

    @OptionGroup var asyncFlags: AsyncFlags

    @Option(help: "Most connection threads (concurrent connections of this tenant).")
    var maxThreads = 256

    @Option(help: "Size of one receive buffer in bytes.")
    var bufferSize = 16 * 1024

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let log: @Sendable (String) -> Void = { [tenant] in Log.line("[worker \(tenant) pid \(getpid())] \($0)") }
        let channel = WorkerChannel(fd: WorkerSpawner.channelFd)
        let source: TenantSource = tenants.map { .directory($0) } ?? .builtIn
        let names = TenantNames(source: source, routing: routing)
        let router = WorkerRouter(tenant: tenant, names: names, channel: channel, once: once)
        var isolateOptions = IsolateOptions()
        isolateOptions.cpuLimitMs = cpuLimitMs
        isolateOptions.routing = routing
        asyncFlags.apply(to: &isolateOptions)
        var loopOptions = LoopOptions()
        loopOptions.limits = requestLimits.limits
        loopOptions.blockingIO = true
        let size = bufferSize
        let clock = cpuLimitClock
        clock.applyToCurrentThread()

        if once {
            // cgi: one connection, served on this thread; the process exits when it is done.
            let runtime = try IsolateRuntime(options: isolateOptions, tenants: source, log: log)
            guard channel.sendReady() == 0 else { Glibc.exit(1) }
            guard case .connection(let fd, let bytes, let origin) = channel.receive() else { Glibc.exit(0) }
            _ = channel.sendAck()
            IOCore.Socket.setNonBlocking(fd, false)
            let loop = EventLoop(engine: BlockingEngine(bufferCount: 4, bufferSize: size), responder: runtime,
                                 options: loopOptions, log: log)
            loop.router = router
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
            responder: { _ in try IsolateRuntime(options: isolateOptions, tenants: source, log: log) })
        factories.router = { _ in router }
        let server = Server(options: options, factories: factories, log: log)
        try server.start()
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
                // The front is gone (stopped, crashed) or evicted us: connections in flight
                // end with the process.
                Glibc.exit(0)
            }
        }
    }
}
