// Supervisor: the front's worker processes: spawn on first request, LRU eviction (SIGTERM,
// then SIGKILL after 1 s), hand-over, reaping (no zombies), connections handed back.
import Platform
import CLinux
import Measurement
import Synchronization
#if canImport(Glibc)
import Glibc
import Logging
#endif

public struct SupervisorOptions: Sendable {
    public var model: WorkerModel = .process
    /// The `isoring` binary to exec (this process's own image by default).
    public var executable = "/proc/self/exe"
    /// Arguments after `worker --tenant NAME [--once]` (tenants folder, routing, limits).
    public var workerArguments: [String] = []
    /// Most live tenant processes (process model); past it the least recently used is evicted.
    public var maxTenants = 1024
    /// How long a new worker may take to say it is ready before it is killed.
    public var readyTimeoutMillis: Int32 = 10_000
    public init() {}
}

/// One worker process as the front sees it.
final class Worker: @unchecked Sendable {
    let tenant: String
    let pid: pid_t
    let channel: WorkerChannel
    /// CLOCK_MONOTONIC of the last hand-over (LRU order); written under the table lock.
    var lastUsedNanos: Int64
    /// Connections sent and not yet acknowledged, oldest first: the front's own copy of each
    /// descriptor (dup) with its bytes. Written under the table lock.
    var unacked: [HandedConnection] = []
    /// Out of service (evicted, found dead, or a cgi worker that finished); written under the lock.
    var retired = false
    init(tenant: String, pid: pid_t, channel: WorkerChannel, now: Int64) {
        self.tenant = tenant
        self.pid = pid
        self.channel = channel
        self.lastUsedNanos = now
    }
}

/// A connection on its way to a worker: the front's copy of the descriptor and what goes with it.
struct HandedConnection {
    let fd: Int32
    let bytes: [UInt8]
    let origin: Int32
}

/// Owns the worker processes of one front. Loop threads call `take` (through the routers'
/// tenant handles); one housekeeping thread receives everything workers send (connections
/// handed back), notices dead workers (end of file on their channel), reaps them with
/// waitpid(WNOHANG) and enforces the SIGKILL deadline of evicted ones. A thread of its own
/// rather than the loops' once-a-second tick: it works the same under every --io, including
/// the blocking model, whose connection threads have no tick.
public final class Supervisor: @unchecked Sendable {
    public let options: SupervisorOptions
    let logger: Logger
    /// Where connections handed back by workers go (the front server's `deliver`).
    public var deliver: (@Sendable (_ fd: Int32, _ bytes: [UInt8], _ origin: Int32) -> Void)?

    struct State {
        /// Live tenant processes (process model).
        var workers: [String: Worker] = [:]
        /// Workers whose channel the housekeeping thread polls: live ones (cgi included) and
        /// retired ones until their channel reads end of file (their acknowledgements and
        /// hand-backs are still read; what they never took goes back to the front then).
        var polled: [Worker] = []
        /// Workers taken out of service (evicted or found dead) since the last poll round.
        var retired: [Worker] = []
        /// Exiting processes to reap: pid -> SIGKILL deadline (CLOCK_MONOTONIC ns).
        var dying: [pid_t: Int64] = [:]
        var coldStarts: [ProcessColdStart] = []
        var stopping = false
        var spawned: UInt64 = 0
        var reaped: UInt64 = 0
        var evicted: UInt64 = 0
        var crashed: UInt64 = 0
        /// Connections a worker never acknowledged, given back to the front to route again.
        var redelivered: UInt64 = 0
    }
    let state = Mutex(State())
    /// Serialises starting tenant processes (process model), so two loops asking for the same
    /// new tenant start it once; the table lock is never held across a spawn.
    let spawnLock = Mutex<Void>(())
    let wakeFd: Int32
    var thread: pthread_t?

    /// Worker processes not reaped yet (live, exiting or zombie): their CPU time is not in
    /// getrusage(RUSAGE_CHILDREN) yet, so reports read it from /proc.
    public var unreapedPIDs: [Int32] {
        state.withLock { s in Array(Set(s.polled.map(\.pid)).union(s.dying.keys)) }
    }

    public init(options: SupervisorOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        wakeFd = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
    }

    public func start() throws {
        thread = try spawnThread(name: "isoring-superv") { [self] in housekeeping() }
    }

    // MARK: - Hand-over (loop threads)

    /// Hands a connection to `tenant`'s process (starting it if needed; in the cgi model
    /// always a new process). Returns 0, or an errno: the caller answers 502. A worker found
    /// dead on send is replaced at once and the send retried once, so the request right after
    /// a crash is served.
    public func take(tenant: String, fd: Int32, bytes: UnsafeRawBufferPointer, origin: Int32) -> Int32 {
        if options.model == .cgi {
            let worker: Worker
            do { worker = try spawn(tenant, once: true) } catch {
                logger.error("\(error)")
                return EAGAIN
            }
            let rc = hand(fd, bytes, origin, to: worker)
            if rc != 0 { retire(worker, dead: true) }
            return rc
        }
        var rc: Int32 = EPIPE
        for _ in 0..<2 {
            let worker: Worker
            do { worker = try liveWorker(tenant) } catch {
                logger.error("\(error)")
                return EAGAIN
            }
            rc = hand(fd, bytes, origin, to: worker)
            if rc == 0 { return 0 }
            logger.warning("worker for tenant \(tenant) (pid \(worker.pid)) did not take a connection: \(String(cString: strerror(rc)))")
            retire(worker, dead: true)
        }
        return rc
    }

    /// Sends a connection to a worker, keeping a copy of the descriptor (F_DUPFD_CLOEXEC) and
    /// the bytes until the worker acknowledges it. A worker killed after the send but before it
    /// took the message (its channel still open while the kernel tears the process down) would
    /// otherwise lose the connection: the copy goes back to the front instead (see housekeeping).
    func hand(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ origin: Int32, to worker: Worker) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return errno }
        let entry = HandedConnection(fd: copy, bytes: Array(bytes), origin: origin)
        state.withLock { _ in worker.unacked.append(entry) }
        let rc = worker.channel.send(connection: fd, bytes: bytes, origin: origin)
        if rc != 0 {
            state.withLock { _ in worker.unacked.removeAll { $0.fd == copy } }
            close(copy)
        }
        return rc
    }

    func liveWorker(_ tenant: String) throws -> Worker {
        let now = monotonicNanos()
        if let w = state.withLock({ s -> Worker? in
            let w = s.workers[tenant]
            w?.lastUsedNanos = now
            return w
        }) { return w }
        return try spawnLock.withLock { _ in
            if let w = state.withLock({ $0.workers[tenant] }) { return w }
            evictIfFull()
            let w = try spawn(tenant, once: false)
            state.withLock { $0.workers[tenant] = w }
            return w
        }
    }

    /// Evicts least-recently-used tenant processes until one more fits under maxTenants.
    func evictIfFull() {
        let victims = state.withLock { s -> [Worker] in
            var out: [Worker] = []
            while s.workers.count >= max(1, options.maxTenants) {
                guard let lru = s.workers.values.min(by: { $0.lastUsedNanos < $1.lastUsedNanos }) else { break }
                s.workers[lru.tenant] = nil
                s.evicted += 1
                out.append(lru)
            }
            return out
        }
        for w in victims {
            logger.notice("evicting tenant \(w.tenant) (pid \(w.pid)): --max-tenants \(options.maxTenants) reached")
            kill(w.pid, SIGTERM)
            retire(w, dead: false)
        }
    }

    /// Starts a worker and waits for its ready message (the calling loop blocks meanwhile,
    /// which is the cold start being measured; other loops go on).
    func spawn(_ tenant: String, once: Bool) throws -> Worker {
        let (channel, workerEnd) = try WorkerChannel.pair()
        let started = monotonicNanos()
        let args = ["worker", "--tenant", tenant] + (once ? ["--once"] : []) + options.workerArguments
        let pid: pid_t
        do {
            pid = try WorkerSpawner.spawn(executable: options.executable, arguments: args, channel: workerEnd)
        } catch {
            close(workerEnd)
            channel.close()
            throw error
        }
        close(workerEnd)
        var ready = false
        if channel.waitReadable(timeoutMillis: options.readyTimeoutMillis), case .ready = channel.receive() {
            ready = true
        }
        let now = monotonicNanos()
        let worker = Worker(tenant: tenant, pid: pid, channel: channel, now: now)
        guard ready else {
            kill(pid, SIGKILL)
            retire(worker, dead: true)
            throw SupervisorError("worker for tenant \(tenant) (pid \(pid)) did not become ready within \(options.readyTimeoutMillis) ms")
        }
        let record = ProcessColdStart(tenant: tenant, pid: pid, model: options.model, spawnToReadyNanos: now - started)
        state.withLock {
            $0.coldStarts.append(record)
            $0.spawned += 1
            $0.polled.append(worker)
        }
        wake()
        return worker
    }

    /// Takes a worker out of service: out of the table at once; the housekeeping thread gives
    /// its process a SIGKILL deadline (1 s) and keeps reading its channel until end of file.
    func retire(_ w: Worker, dead: Bool) {
        state.withLock { s in
            if s.workers[w.tenant] === w { s.workers[w.tenant] = nil }
            guard !w.retired else { return }
            w.retired = true
            if dead { s.crashed += 1 }
            s.retired.append(w)
        }
        wake()
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFd, &one, 8)
    }

    // MARK: - Stopping and reports

    /// SIGTERM to every worker (each drains: see `isoring worker`), SIGKILL to those still
    /// there after `graceSeconds`, and every one reaped.
    public func shutdown(graceSeconds: Int = 1) {
        let all = state.withLock { s -> [Worker] in
            s.stopping = true
            let live = s.polled + s.retired
            s.workers.removeAll()
            return live
        }
        for w in all { kill(w.pid, SIGTERM) }
        if let t = thread {
            wake()
            pthread_join(t, nil)
            thread = nil
        }
        let deadline = monotonicNanos() + Int64(max(1, graceSeconds)) * 1_000_000_000
        state.withLock { s in
            for w in all {
                for c in w.unacked { close(c.fd) }
                w.unacked.removeAll()
                w.channel.close()
                if s.dying[w.pid] == nil { s.dying[w.pid] = deadline }
            }
            s.polled.removeAll()
            s.retired.removeAll()
        }
        while !state.withLock({ $0.dying.isEmpty }) {
            reap()
            usleep(10_000)
        }
        close(wakeFd)
    }

    /// Every worker start so far, in order.
    public var coldStarts: [ProcessColdStart] { state.withLock { $0.coldStarts } }

    /// Counters for the metrics endpoint: spawned, reaped, evicted, crashed, live.
    public var counters: (spawned: UInt64, reaped: UInt64, evicted: UInt64, crashed: UInt64, live: Int,
                          redelivered: UInt64) {
        state.withLock { s in
            (s.spawned, s.reaped, s.evicted, s.crashed, s.polled.count - s.polled.filter(\.retired).count, s.redelivered)
        }
    }

    /// Live tenant processes (process model).
    public var liveWorkers: [(tenant: String, pid: Int32)] {
        state.withLock { s in s.workers.values.map { ($0.tenant, $0.pid) }.sorted { $0.tenant < $1.tenant } }
    }

    /// PSS and RSS of each live tenant process, from /proc/PID/smaps_rollup (walks every
    /// mapping: for reports, not the request path).
    public func workerMemory() -> [WorkerMemory] {
        liveWorkers.compactMap { w in
            SmapsRollup.read(pid: w.pid).map {
                WorkerMemory(tenant: w.tenant, pid: w.pid, pssKilobytes: $0.pssKilobytes, rssKilobytes: $0.rssKilobytes)
            }
        }
    }
}
