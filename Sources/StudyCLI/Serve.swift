// `isoring serve`: parse flags, wire engines, loops and isolates, run until SIGINT/SIGTERM.
import ArgumentParser
import EventCore
import HTTP1
import IOCore
import Isolates
import CLinux
import Supervisor
import Synchronization
#if canImport(Glibc)
import Glibc
import Tenants
import Logging
import Platform
#endif

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve tenants' JavaScript handlers over HTTP/1.1.",
        discussion: """
        Tenants are NAME.js files in --tenants DIR (default: the built-in demo tenants). A request \
        goes to tenant NAME by `Host: NAME.localhost` or by the path prefix `/NAME/` (see --routing). \
        Live counters: GET /__isoring/metrics (Prometheus text format). Stop with Ctrl-C or SIGTERM.
        """)

    @Option(help: "Address to listen on (IPv4).")
    var host = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free port and prints it).")
    var port: UInt16 = 8080

    @Option(help: "Folder of tenant scripts, one NAME.js per tenant. Default: the built-in demo tenants.")
    var tenants: String?

    @Option(help: "How requests find their tenant: host-or-path, host, or path.")
    var routing: TenantRouting = .hostOrPath

    @Option(help: "CPU time one request may spend in JavaScript, in milliseconds; past it the handler is stopped and the client gets 503. 0 turns the limit off (trusted tenants only): JavaScriptCore's watchdog reads the thread's CPU clock, one clock_gettime syscall, on every entry into JavaScript.")
    var cpuLimitMs = 50

    @Option(help: "Clock for --cpu-limit-ms: lazy (the thread's CPU time, bounded from above by the vDSO clock and read for real at most every 2 ms: the limit holds to within 2 ms of CPU time at about one syscall per 2 ms), thread (the thread's CPU time read on every entry into JavaScript: one clock_gettime syscall per request) or wall (time spent in JavaScript, from the vDSO; equal to CPU time for a loop alone on its core). Worker processes (--isolation process|cgi) use the same clock.")
    var cpuLimitClock: CPULimitClock = .lazy

    @Option(help: "I/O engine: uring (io_uring, completion-based), epoll (readiness, edge-triggered) or blocking (a thread per connection).")
    var io: EngineKind = .uring

    @Option(help: ArgumentHelp("Isolation model: isolate (each tenant in its own JavaScriptCore context group, in this process), process (one OS process per tenant, started on its first request, kept warm) or cgi (a new process per request).",
                               discussion: ProcessModel.combinations))
    var isolation: IsolationKind = .isolate

    @OptionGroup(title: "isolate model")
    var isolateFlags: IsolateFlags

    @OptionGroup(title: "process and cgi models")
    var processFlags: ProcessFlags

    @Option(help: "Event loops, one per core, each with its own listener (SO_REUSEPORT), engine and isolates. Not used with --io blocking.")
    var threads = 1

    @Flag(help: "Pin loop i to CPU i (mod the CPU count).")
    var pin = false

    @OptionGroup(title: "request limits")
    var requestLimits: RequestLimitFlags

    @OptionGroup(title: "Workers API")
    var workersAPI: WorkersAPIFlags

    @OptionGroup(title: "asynchronous handlers")
    var asyncFlags: AsyncFlags

    @Option(help: "Connections per loop (with --io blocking: in all); past it a new connection is closed at once and counted in isoring_connections_refused_total.")
    var maxConnections = 16_384

    @Option(help: "With --io blocking: most connection threads; past it a new connection gets 503.")
    var maxThreads = 256

    @Option(help: "Least severe log level written to standard error: trace, debug, info, notice, warning, error or critical. Tenants' console.debug is debug, console.log info.")
    var logLevel: Logger.Level = .info

    @Option(help: "Write a measurement report (JSON) per window into this folder: on SIGUSR1, on POST /__isoring/window/stop, and when the server stops.")
    var report: String?

    @OptionGroup(title: "io_uring knobs (with --io uring)")
    var uring: URingFlags

    func validate() throws {
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be between 1 and 1024, got \(threads)") }
        guard cpuLimitMs >= 0 else { throw ValidationError("--cpu-limit-ms must not be negative, got \(cpuLimitMs)") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard maxThreads >= 1 else { throw ValidationError("--max-threads must be at least 1") }
        if let dir = tenants {
            var isDir = stat()
            guard stat(dir, &isDir) == 0, (isDir.st_mode & S_IFMT) == S_IFDIR else {
                throw ValidationError("--tenants \(dir): not a folder")
            }
        }
        try uring.validate(io: io)
        try ProcessModel.validate(isolation, fixedFiles: uring.fixedFiles)
    }

    func run() throws {
        Log.level = logLevel
        let log = Log.logger
        // Signals go to the main thread only, which waits for them below (nginx's master does
        // the same with sigsuspend); loop threads inherit the blocked mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGINT, SIGTERM, SIGUSR1] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)

        var options = ServerOptions()
        options.host = host
        options.port = port
        options.pin = pin
        options.threading = io == .blocking ? .threadPerConnection(maxThreads: maxThreads) : .loops(threads: threads)
        requestLimits.apply(to: &options.loop)
        options.loop.maxConnections = maxConnections
        options.loop.blockingIO = io == .blocking

        var isolateOptions = IsolateOptions()
        isolateOptions.cpuLimitMs = cpuLimitMs
        isolateOptions.routing = routing
        asyncFlags.apply(to: &isolateOptions)
        isolateFlags.apply(to: &isolateOptions, maxTenants: processFlags.maxTenants)
        try workersAPI.apply()
        let source: TenantSource = tenants.map { .directory($0) } ?? .demo

        let engines = EngineFactory(io: io, uring: uring)
        // Opened before start(): perf's inherit reaches only threads created after it.
        let reporter = try report.map { try ServeReport(directory: $0, mode: reportMode(engines)) }
        let clock = cpuLimitClock
        if !clock.applyToCurrentThread() {
            throw ValidationError("--cpu-limit-clock \(clock.rawValue): this build does not export clock_gettime, so JavaScriptCore's reads cannot be redirected (use --cpu-limit-clock thread)")
        }
        let runtimes = Runtimes()
        var factories = ServerFactories(
            engine: { _ in
                // Engines are made on the thread that will run JavaScript (loop or connection thread).
                clock.applyToCurrentThread()
                return try engines.make()
            },
            responder: { _ in
                let runtime = try IsolateRuntime(options: isolateOptions, tenants: source, logger: log)
                reporter?.watch(runtime)
                runtimes.add(runtime)
                return runtime
            })
        let supervisor = isolation == .isolate ? nil : ProcessModel.supervisor(self, &factories, &options, logger: log)
        let server = Server(options: options, factories: factories, logger: log)
        server.metricsText = { [unowned server] in
            Metrics.render(server, runtimes: runtimes, window: reporter?.counters,
                           more: supervisor.map(ProcessModel.metrics) ?? [])
        }
        supervisor?.deliver = { [unowned server] fd, bytes, origin in server.deliver(fd: fd, bytes: bytes, origin: origin) }
        reporter?.attach(server)
        if let supervisor {
            reporter?.countChildren { supervisor.unreapedPIDs }
            reporter?.watchWorkers(starts: { supervisor.coldStarts.map { ($0.tenant, $0.spawnToReadyNanos) } },
                                   memory: { let m = supervisor.workerMemory(); return (m.count, m.reduce(0) { $0 + $1.pssKilobytes }) })
        }
        try supervisor?.start()
        do {
            try server.start()
        } catch {
            throw ValidationError("cannot start: \(error)")
        }
        let where_ = "http://\(host):\(server.port)/"
        let threadsText = io == .blocking ? "thread per connection (max \(maxThreads))" : "\(threads) loop(s)\(pin ? ", pinned" : "")"
        reporter?.startWindow()
        log.notice("listening on \(where_) io=\(engines.describe) isolation=\(isolation.rawValue) \(threadsText) tenants=\(tenants ?? "built-in demo")")

        while true {
            var received: Int32 = 0
            sigwait(&signals, &received)
            if received == SIGUSR1 {
                reporter?.rotate()
                continue
            }
            log.notice("signal \(received): draining (up to \(requestLimits.drainTimeoutS) s; a second signal exits at once)")
            break
        }
        // The drain runs on its own thread so this one can wait for a second signal.
        let drained = DrainOutcome()
        let drainTimeout = requestLimits.drainTimeoutS
        // A loop that never finishes its turn (JavaScript that escaped the CPU limit) must not
        // keep the process alive past the drain: the deadline exits with status 1 then.
        let deadline = StopDeadline(log: log, seconds: UInt32(drainTimeout) + 10)
        let drainer = try spawnThread(name: "isoring-drain") {
            let clean = server.drain(timeoutSeconds: drainTimeout)
            // Workers drain after the front: the front may still hand them connections.
            supervisor?.shutdown(graceSeconds: drainTimeout)
            drained.state.store(clean ? 1 : 2, ordering: .releasing)
        }
        var tick = timespec(tv_sec: 0, tv_nsec: 50_000_000)
        while drained.state.load(ordering: .acquiring) == 0 {
            let received = sigtimedwait(&signals, nil, &tick)
            if received == SIGINT || received == SIGTERM {
                log.warning("signal \(received) again: exiting at once")
                _exit(1)
            }
        }
        pthread_join(drainer, nil)
        deadline.meet()
        if drained.state.load(ordering: .acquiring) == 2 { log.warning("drain timed out after \(drainTimeout) s: remaining connections were closed") }
        reporter?.stopWindow(trigger: "stop")
        let stats = server.stats
        log.notice("stopped after \(stats.requests) requests on \(stats.connectionsAccepted) connections")
    }
}

/// Log lines go through swift-log to standard error, one write each, so lines from loop
/// threads never interleave. `--log-level` sets the level once, at start.
enum Log {
    nonisolated(unsafe) static var level = Logger.Level.info

    /// The process's logger (LineLogHandler: "[process] [tenant] message").
    static var logger: Logger { .lines(level: level, sink) }

    static let sink: @Sendable (String) -> Void = { message in
        let text = "isoring: \(message)\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// How the drain thread finished: 0 still running, 1 every connection done, 2 timed out.
final class DrainOutcome: Sendable {
    let state = Atomic<Int>(0)
}
