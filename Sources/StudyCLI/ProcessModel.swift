// ProcessModel: `serve --isolation process|cgi` wiring: flags, the supervisor, front routers.
import ArgumentParser
import EventCore
import Isolates
import Measurement
import Supervisor
import Tenants
import Logging

/// Flags of the process and cgi models.
struct ProcessFlags: ParsableArguments {
    @Option(help: "Most live tenants: isolates (default: no limit) or tenant processes (default 1024). Past it the least recently used one is evicted (a process gets SIGTERM, SIGKILL after 1 s) and pays a cold start on its next request.")
    var maxTenants: Int?

    @Option(help: "With --isolation process|cgi: most connection threads in one worker process.")
    var workerMaxThreads = 256
}

enum ProcessModel {
    /// The combinations, for --help and errors: every --io drives the front; workers always
    /// serve with blocking syscalls.
    static let combinations = """
        process and cgi work with every --io (the front accepts, reads the request head, routes, \
        and hands the connection with the bytes already read to the tenant's process over a Unix \
        socket, SCM_RIGHTS); workers always serve with blocking syscalls. Not with --fixed-files \
        (a registered descriptor cannot be passed to another process).
        """

    static func validate(_ isolation: IsolationKind, fixedFiles: Bool) throws {
        if isolation != .isolate && fixedFiles {
            throw ValidationError("--fixed-files cannot be used with --isolation \(isolation.rawValue): a registered (direct) descriptor cannot be handed to a worker process with SCM_RIGHTS")
        }
    }

    /// Arguments every worker gets, mirroring serve's own.
    static func workerArguments(tenants: String?, routing: TenantRouting, cpuLimitMs: Int,
                                cpuLimitClock: CPULimitClock, requestLimits: RequestLimitFlags,
                                bufferSize: Int, flags: ProcessFlags, penaltyBox: PenaltyBoxFlags) -> [String] {
        var args = ["--routing", routing.rawValue, "--cpu-limit-ms", "\(cpuLimitMs)",
                    "--cpu-limit-clock", cpuLimitClock.rawValue, "--buffer-size", "\(bufferSize)",
                    "--max-threads", "\(flags.workerMaxThreads)"] + penaltyBox.arguments + requestLimits.arguments
        if let tenants { args += ["--tenants", tenants] }
        return args
    }

    /// Metrics about worker processes, rendered with the others by PrometheusText.
    static func metrics(_ supervisor: Supervisor) -> [PrometheusMetric] {
        let c = supervisor.counters
        func metric(_ name: String, _ kind: PrometheusMetric.Kind, _ help: String, _ value: Double) -> PrometheusMetric {
            PrometheusMetric(name: "isoring_\(name)", help: help, kind: kind, value: value)
        }
        let starts = supervisor.coldStarts
        let total = starts.reduce(Int64(0)) { $0 + $1.spawnToReadyNanos }
        return [
            metric("workers_spawned_total", .counter, "Worker processes started.", Double(c.spawned)),
            metric("workers_reaped_total", .counter, "Worker processes reaped (waitpid).", Double(c.reaped)),
            metric("workers_evicted_total", .counter, "Tenant processes stopped by --max-tenants.", Double(c.evicted)),
            metric("workers_lost_total", .counter, "Tenant processes that died or refused a connection.", Double(c.crashed)),
            metric("workers_live", .gauge, "Worker processes alive now.", Double(c.live)),
            metric("connections_redelivered_total", .counter, "Connections a worker ended before taking, routed again.",
                   Double(c.redelivered)),
            metric("worker_spawn_to_ready_seconds_total", .counter, "Sum of spawn-to-ready times of worker processes.",
                   Double(total) / 1e9),
            metric("worker_spawn_to_ready_count", .counter, "Worker starts measured.", Double(starts.count)),
        ]
    }
}

extension ProcessModel {
    /// The supervisor for `serve`'s flags, with a front router per loop installed.
    static func supervisor(_ serve: Serve, _ factories: inout ServerFactories, _ options: inout ServerOptions,
                           logger: Logger) -> Supervisor {
        var o = SupervisorOptions()
        o.model = serve.isolation == .cgi ? .cgi : .process
        o.maxTenants = serve.processFlags.maxTenants ?? 1024
        o.workerArguments = workerArguments(
            tenants: serve.tenants, routing: serve.routing, cpuLimitMs: serve.cpuLimitMs,
            cpuLimitClock: serve.cpuLimitClock, requestLimits: serve.requestLimits,
            bufferSize: serve.uring.bufferSize, flags: serve.processFlags, penaltyBox: serve.isolateFlags.penaltyBox) + ["--log-level", serve.logLevel.rawValue] + serve.workersAPI.arguments + serve.asyncFlags.arguments
        let supervisor = Supervisor(options: o, logger: logger)
        let names = TenantNames(source: serve.tenants.map { .directory($0) } ?? .demo, routing: serve.routing)
        factories.router = { _ in FrontRouter(names: names, supervisor: supervisor) }
        // epoll needs non-blocking sockets; io_uring and blocking reads want blocking ones.
        options.deliveredNonBlocking = serve.io == .epoll
        return supervisor
    }
}
