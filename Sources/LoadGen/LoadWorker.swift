// LoadWorker: one load thread: its engine, its connections, its schedule and its histogram.
import Platform
import IOCore
import Measurement
#if canImport(Glibc)
import Glibc
#endif

/// What one load thread measured; the generator merges them.
struct WorkerResult {
    var histogram = LatencyHistogram()
    var measured: UInt64 = 0
    /// Responses by class: index 1 = 1xx ... 5 = 5xx, 0 = anything else.
    var statusClasses = [UInt64](repeating: 0, count: 6)
    var errors = SocketErrorCounts()
    var bytesReceived: UInt64 = 0
    var unsentDue: UInt64 = 0
    var completedTotal: UInt64 = 0
    var failure: String?
}

/// The shared clock marks of a run, in CLOCK_MONOTONIC nanoseconds.
struct RunClock {
    var startNanos: Int64
    /// Requests starting (due or sent) before this are warm-up: answered but not recorded.
    var measureFromNanos: Int64
    /// nil = no time limit (a request budget ends the run).
    var endNanos: Int64?
}

/// Drives `connections` connections over one engine on the calling thread. Open loop: each
/// connection sends at rate/connections, and a request's latency counts from when it was due,
/// so a stalled server shows in every request queued behind the stall (wrk2's correction of
/// coordinated omission). Closed loop: `pipeline` requests in flight per connection.
final class LoadWorker {
    enum Kind: UInt64 { case connect = 1, recv, send, close }

    let options: LoadOptions
    let engine: any IOEngine
    let templates: RequestTemplates
    let clock: RunClock
    let budget: UInt64?
    let intervalNanos: Int64
    var conns: [LoadConnection] = []
    var sampler: ZipfSampler
    var sweepNext: Int
    var address: UnsafeMutableRawBufferPointer
    var completions: [Completion] = []
    var issued: UInt64 = 0
    var finished: UInt64 = 0
    var result = WorkerResult()

    /// `firstGlobalConnection` spreads the open-loop phase of every connection over one interval.
    init(options: LoadOptions, thread: Int, engine: any IOEngine, templates: RequestTemplates, clock: RunClock,
         firstGlobalConnection: Int) throws(IOError) {
        self.options = options
        self.engine = engine
        self.templates = templates
        self.clock = clock
        budget = options.requests(ofThread: thread)
        let count = options.connections(ofThread: thread)
        if let rate = options.rate, rate > 0 {
            intervalNanos = Int64((Double(options.connections) / rate * 1e9).rounded())
        } else {
            intervalNanos = 0
        }
        sampler = ZipfSampler(count: max(options.tenants, 1), exponent: options.zipfExponent,
                              seed: options.seed &+ UInt64(thread) &* 0x9E37_79B9)
        sweepNext = thread
        let sa = try Socket.ipv4Address(host: options.host, port: options.port)
        address = .allocate(byteCount: MemoryLayout<sockaddr_in>.size, alignment: 8)
        withUnsafeBytes(of: sa) { address.copyMemory(from: $0) }
        for i in 0..<count {
            let c = LoadConnection(index: i, pipeline: options.pipeline, largestRequest: templates.largest)
            let global = firstGlobalConnection + i
            c.nextDueNanos = clock.startNanos + (intervalNanos * Int64(global)) / Int64(max(options.connections, 1))
            conns.append(c)
        }
        completions.reserveCapacity(512)
    }

    deinit { address.deallocate() }

    var isOpenLoop: Bool { intervalNanos > 0 }

    func run() -> WorkerResult {
        // Every thread starts at the shared instant, so warm-up and the measured part line up.
        sleepUntil(clock.startNanos)
        let start = monotonicNanos()
        for c in conns { connect(c, now: start) }
        do {
            while true {
                let now = monotonicNanos()
                if let end = clock.endNanos, now >= end { break }
                if let b = budget, issued >= b, finished >= issued { break }
                var nextWake = Int64.max
                for c in conns {
                    switch c.state {
                    case .ready: issue(c, now: now)
                    case .idle:
                        if now >= c.reconnectAtNanos && !budgetSpent { connect(c, now: now) } else {
                            nextWake = min(nextWake, c.reconnectAtNanos)
                        }
                    default: break
                    }
                    if isOpenLoop && c.outstanding < c.pipeline { nextWake = min(nextWake, c.nextDueNanos) }
                }
                if let end = clock.endNanos { nextWake = min(nextWake, end) }
                let timeout = nextWake == .max ? 0 : max(nextWake - monotonicNanos(), 20_000)
                completions.removeAll(keepingCapacity: true)
                _ = try engine.submitAndReap(wait: true, timeoutNanos: timeout, into: &completions)
                for c in completions { handle(c) }
            }
        } catch {
            result.failure = "\(error)"
        }
        finish()
        return result
    }

    var budgetSpent: Bool { budget.map { issued >= $0 } ?? false }

    // MARK: issuing

    /// Queues as many requests as the model allows now, then sends them in one operation.
    func issue(_ c: LoadConnection, now: Int64) {
        while c.outstanding < c.pipeline && !budgetSpent {
            let startNanos: Int64
            if isOpenLoop {
                guard c.nextDueNanos <= now else { break }
                startNanos = c.nextDueNanos
            } else {
                startNanos = now
            }
            let k: Int
            if options.tenants <= 0 { k = 0 } else if options.tenantOrder == .sweep {
                k = sweepNext % templates.count
            } else {
                k = sampler.next()
            }
            let ok = templates.bytes.withUnsafeBytes { all in
                c.append(UnsafeRawBufferPointer(rebasing: all[templates.range(k)]))
            }
            guard ok else { break }
            if options.tenantOrder == .sweep { sweepNext += options.threads }
            if isOpenLoop { c.nextDueNanos += intervalNanos }
            c.pushStart(startNanos)
            issued += 1
        }
        flush(c)
    }

    func flush(_ c: LoadConnection) {
        guard c.state == .ready, c.sendInFlight == 0, c.outCount > 0 else { return }
        c.sendInFlight = c.outCount
        submit(.send(fd: c.fd, bytes: UnsafeRawBufferPointer(start: c.out, count: c.outCount)), c, .send)
    }

    // MARK: engine plumbing

    func token(_ c: LoadConnection, _ kind: Kind) -> UInt64 {
        UInt64(c.index) << 24 | UInt64(c.generation) << 8 | kind.rawValue
    }

    func submit(_ op: Operation, _ c: LoadConnection, _ kind: Kind) {
        let t = token(c, kind)
        while !engine.enqueue(op, token: t) {
            // Submission queue full: flush it; completions reaped here are handled next turn.
            var spill: [Completion] = []
            spill.reserveCapacity(64)
            _ = try? engine.submitAndReap(wait: false, timeoutNanos: 0, into: &spill)
            for s in spill { handle(s) }
        }
    }

    func connect(_ c: LoadConnection, now: Int64) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            result.errors.connect += 1
            c.reconnectAtNanos = now + 10_000_000
            return
        }
        Socket.setNoDelay(fd)
        c.fd = fd
        c.state = .connecting
        submit(.connect(fd: fd, address: UnsafeRawBufferPointer(address)), c, .connect)
    }

    /// Closes the connection through the engine; it is reconnected once the close completes.
    func drop(_ c: LoadConnection) {
        guard c.state == .connecting || c.state == .ready else { return }
        finished += UInt64(c.outstanding)
        c.resetStreams()
        let old = token(c, .close)
        c.generation &+= 1
        c.state = .closing
        while !engine.enqueue(.close(fd: c.fd), token: old) {
            var spill: [Completion] = []
            _ = try? engine.submitAndReap(wait: false, timeoutNanos: 0, into: &spill)
            for s in spill { handle(s) }
        }
    }

    // MARK: completions

    func handle(_ completion: Completion) {
        let index = Int(completion.token >> 24)
        let generation = UInt16(truncatingIfNeeded: completion.token >> 8)
        guard let kind = Kind(rawValue: completion.token & 0xFF), index < conns.count else { return }
        let c = conns[index]
        if kind == .close {
            if c.state == .closing {
                c.state = .idle
                c.fd = -1
                c.reconnectAtNanos = monotonicNanos() + 1_000_000
            }
            return
        }
        guard generation == c.generation, c.state == .connecting || c.state == .ready else {
            if completion.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: completion.bufferIndex) }
            return
        }
        let res = completion.result
        switch kind {
        case .connect:
            if res < 0 {
                result.errors.connect += 1
                drop(c)
                return
            }
            c.state = .ready
            submit(.recv(fd: c.fd), c, .recv)
            issue(c, now: monotonicNanos())
        case .send:
            if res < 0 {
                result.errors.write += 1
                drop(c)
                return
            }
            c.sendCompleted(Int(res))
            flush(c)
        case .recv:
            if res <= 0 {
                if completion.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: completion.bufferIndex) }
                if res < 0 && res != -ENOBUFS { result.errors.read += 1 }
                if res == 0 && c.outstanding > 0 { result.errors.closedWithPending += UInt64(c.outstanding) }
                if res == -ENOBUFS { submit(.recv(fd: c.fd), c, .recv); return }
                drop(c)
                return
            }
            result.bytesReceived += UInt64(res)
            let bytes = UnsafeRawBufferPointer(engine.buffer(completion.bufferIndex, count: Int(res)))
            let failure = received(bytes, on: c)
            engine.recycle(bufferIndex: completion.bufferIndex)
            if failure {
                result.errors.framing += 1
                drop(c)
                return
            }
            if c.state == .ready && !completion.hasMore { submit(.recv(fd: c.fd), c, .recv) }
            if c.state == .ready { issue(c, now: monotonicNanos()) }
        case .close:
            break
        }
    }

    /// Parses responses; returns true on a framing failure.
    func received(_ bytes: UnsafeRawBufferPointer, on c: LoadConnection) -> Bool {
        let now = monotonicNanos()
        var closeAfter = false
        let failure = c.parser.consume(bytes) { status, close in
            guard c.outstanding > 0 else { return }
            let started = c.popStart()
            finished += 1
            result.completedTotal += 1
            if close { closeAfter = true }
            guard started >= clock.measureFromNanos else { return }
            if let end = clock.endNanos, now > end { return }
            result.histogram.record(nanos: UInt64(max(now - started, 0)))
            result.measured += 1
            let cls = status / 100
            result.statusClasses[cls >= 1 && cls <= 5 ? cls : 0] += 1
        }
        if failure != nil { return true }
        if closeAfter { drop(c) }
        return false
    }

    // MARK: end

    /// Counts what was due and never sent, then closes every connection and waits for the
    /// closes (at most a second) so no completion refers to freed memory.
    func finish() {
        if isOpenLoop, let end = clock.endNanos {
            for c in conns where c.nextDueNanos < end {
                result.unsentDue += UInt64((end - c.nextDueNanos) / intervalNanos + 1)
            }
        }
        for c in conns { drop(c) }
        let deadline = monotonicNanos() + 1_000_000_000
        while conns.contains(where: { $0.state == .closing }) && monotonicNanos() < deadline {
            completions.removeAll(keepingCapacity: true)
            guard (try? engine.submitAndReap(wait: true, timeoutNanos: 50_000_000, into: &completions)) != nil else { break }
            for c in completions { handle(c) }
        }
        for c in conns where c.fd >= 0 && c.state != .idle { close(c.fd) }
    }
}
