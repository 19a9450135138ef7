// PollEngine: a small poll(2)-based IOEngine for the load generator's tests (no dependency on the real engines).
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// Completion-shaped over poll(2): connect, recv (one shot), send, close, timeout. Enough to
/// drive LoadWorker against an in-test server; counts nothing.
final class PollEngine: IOEngine {
    struct Waiting { var fd: Int32; var token: UInt64; var kind: Int; var bytes: UnsafeRawBufferPointer? }
    var queued: [(Operation, UInt64)] = []
    var waiting: [Waiting] = []
    var ready: [Completion] = []
    var timers: [(Int64, UInt64)] = []
    var buffers: [UnsafeMutableRawBufferPointer]
    var free: [UInt16]
    var counters = EngineCounters()
    var describe: String { "poll (test)" }

    init(bufferCount: Int = 64, bufferSize: Int = 16384) {
        buffers = (0..<bufferCount).map { _ in .allocate(byteCount: bufferSize, alignment: 16) }
        free = (0..<UInt16(bufferCount)).reversed().map { $0 }
    }
    deinit { buffers.forEach { $0.deallocate() } }

    func enqueue(_ operation: Operation, token: UInt64) -> Bool {
        queued.append((operation, token))
        return true
    }

    func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: buffers[Int(index)][0..<count])
    }
    func recycle(bufferIndex: UInt16) { free.append(bufferIndex) }
    func wakeup() {}

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    func start(_ op: Operation, _ token: UInt64) {
        switch op {
        case .connect(let fd, let address):
            let rc = address.baseAddress!.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(address.count))
            }
            if rc == 0 { ready.append(Completion(token: token, result: 0)) } else if errno == EINPROGRESS {
                waiting.append(Waiting(fd: fd, token: token, kind: 0, bytes: nil))
            } else { ready.append(Completion(token: token, result: -errno)) }
        case .recv(let fd), .recvOnce(let fd):
            waiting.append(Waiting(fd: fd, token: token, kind: 1, bytes: nil))
        case .send(let fd, let bytes):
            waiting.append(Waiting(fd: fd, token: token, kind: 2, bytes: bytes))
        case .close(let fd):
            waiting.removeAll { w in
                if w.fd == fd { ready.append(Completion(token: w.token, result: -ECANCELED)); return true }
                return false
            }
            Glibc.close(fd)
            ready.append(Completion(token: token, result: 0))
        case .accept:
            preconditionFailure("PollEngine does not accept")
        case .timeout(let nanos):
            timers.append((Self.now() + nanos, token))
        }
    }

    func submitAndReap(wait: Bool, timeoutNanos: Int64, into completions: inout [Completion]) throws(IOError) -> Int {
        let q = queued
        queued.removeAll()
        for (op, t) in q { start(op, t) }
        var pfds = waiting.map { pollfd(fd: $0.fd, events: Int16($0.kind == 1 ? POLLIN : POLLOUT), revents: 0) }
        var ms: Int32 = (!ready.isEmpty || !wait) ? 0 : (timeoutNanos > 0 ? Int32(max(1, (timeoutNanos + 999_999) / 1_000_000)) : -1)
        if let t = timers.map(\.0).min() { ms = min(ms < 0 ? Int32.max : ms, Int32(max(0, (t - Self.now()) / 1_000_000))) }
        _ = poll(&pfds, nfds_t(pfds.count), ms)
        var keep: [Waiting] = []
        for (i, w) in waiting.enumerated() {
            guard pfds[i].revents != 0 else { keep.append(w); continue }
            switch w.kind {
            case 0:
                var err: Int32 = 0
                var len = socklen_t(4)
                getsockopt(w.fd, SOL_SOCKET, SO_ERROR, &err, &len)
                ready.append(Completion(token: w.token, result: -err))
            case 1:
                guard let b = free.popLast() else { keep.append(w); continue }
                let n = read(w.fd, buffers[Int(b)].baseAddress!, buffers[Int(b)].count)
                if n > 0 { ready.append(Completion(token: w.token, result: Int32(n), bufferIndex: b)) } else {
                    free.append(b)
                    ready.append(Completion(token: w.token, result: n == 0 ? 0 : -errno))
                }
            default:
                let n = write(w.fd, w.bytes!.baseAddress!, w.bytes!.count)
                ready.append(Completion(token: w.token, result: n >= 0 ? Int32(n) : -errno))
            }
        }
        waiting = keep
        let now = Self.now()
        timers.removeAll { t in
            if t.0 <= now { ready.append(Completion(token: t.1, result: -ETIME)); return true }
            return false
        }
        let n = ready.count
        completions.append(contentsOf: ready)
        ready.removeAll()
        return n
    }
}
