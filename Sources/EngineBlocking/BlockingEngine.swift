// BlockingEngine: plain blocking syscalls behind the completion protocol, one op at a time.
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs each queued operation with a blocking syscall, in order, when `submitAndReap` is
/// called, and reports its result as a completion. Used by the thread-per-connection mode and
/// by worker processes serving one handed-over connection: the cost being measured is that of
/// plain accept4/read/write/close, one syscall per step.
///
/// `wakeup()` is best-effort and does nothing: a thread blocked in read(2) is woken by
/// shutting the descriptor down (shutdown(fd, SHUT_RDWR)) from another thread.
public final class BlockingEngine: IOEngine {
    public private(set) var counters = EngineCounters()
    private let pool: BufferPool
    private var queue: [(op: Operation, token: UInt64)] = []
    private var head = 0
    /// How long a read or send that met EAGAIN waits for readiness before it completes with
    /// -ETIMEDOUT (-1: forever). A connection thread sets SO_RCVTIMEO/SO_SNDTIMEO on its
    /// blocking socket and runs with 0: the syscall itself blocks for one time slice, then the
    /// loop gets a completion and can run its timeouts, so no thread sits in read(2) forever.
    private let waitLimitMillis: Int32

    public init(bufferCount: Int = 64, bufferSize: Int = 16384, waitLimitMillis: Int32 = -1) {
        self.waitLimitMillis = waitLimitMillis
        pool = BufferPool(count: bufferCount, size: bufferSize)
        queue.reserveCapacity(64)
    }

    public func enqueue(_ operation: Operation, token: UInt64) -> Bool {
        queue.append((operation, token))
        return true
    }

    /// Runs queued operations in order until none is left or the caller's room is used up.
    /// With nothing queued it returns 0 at once even when `wait` is true: nothing could ever
    /// complete, and blocking forever would hang the caller.
    public func submitAndReap(wait: Bool, timeoutNanos: Int64,
                              into completions: inout [Completion]) throws(IOError) -> Int {
        let room = completions.capacity - completions.count
        let limit = room > 0 ? room : Int.max
        var appended = 0
        while head < queue.count, appended < limit {
            let (op, token) = queue[head]
            head += 1
            completions.append(run(op, token: token))
            appended += 1
        }
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        counters.completions += UInt64(appended)
        return appended
    }

    private func run(_ op: Operation, token: UInt64) -> Completion {
        switch op {
        case .accept(let listener):
            while true {
                counters.acceptCalls += 1
                let fd = isoring_accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
                if fd >= 0 { return Completion(token: token, result: fd) }
                if errno == EINTR { continue }
                if errno == EAGAIN { _ = waitFor(listener, Int16(POLLIN), limit: -1); continue }
                return Completion(token: token, result: -errno)
            }
        case .recv(let fd), .recvOnce(let fd):
            guard let buffer = pool.take() else {
                counters.bufferExhaustions += 1
                return Completion(token: token, result: -ENOBUFS)
            }
            while true {
                counters.readCalls += 1
                let n = read(fd, pool.pointer(buffer), pool.size)
                if n > 0 { return Completion(token: token, result: Int32(n), bufferIndex: buffer) }
                let e = errno
                if n < 0, e == EINTR { continue }
                // A handed-over socket may still be non-blocking: wait for it instead of failing.
                if n < 0, e == EAGAIN {
                    if waitFor(fd, Int16(POLLIN), limit: waitLimitMillis) { continue }
                    pool.give(buffer)
                    return Completion(token: token, result: -ETIMEDOUT)
                }
                pool.give(buffer)
                return Completion(token: token, result: n == 0 ? 0 : -e)
            }
        case .send(let fd, let bytes):
            var sent = 0
            while sent < bytes.count {
                counters.writeCalls += 1
                let n = Glibc.send(fd, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                if n >= 0 { sent += n; continue }
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN {
                    if waitFor(fd, Int16(POLLOUT), limit: waitLimitMillis) { continue }
                    return Completion(token: token, result: sent > 0 ? Int32(sent) : -ETIMEDOUT)
                }
                return Completion(token: token, result: sent > 0 ? Int32(sent) : -e)
            }
            return Completion(token: token, result: Int32(sent))
        case .close(let fd):
            counters.closeCalls += 1
            return Completion(token: token, result: close(fd) == 0 ? 0 : -errno)
        case .connect(let fd, let address):
            counters.otherCalls += 1
            let rc = Glibc.connect(fd, address.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                                   socklen_t(address.count))
            return Completion(token: token, result: rc == 0 ? 0 : -errno)
        case .timeout(let nanoseconds):
            var ts = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            counters.otherCalls += 1
            var left = timespec()
            while nanosleep(&ts, &left) != 0, errno == EINTR {
                ts = left
                counters.otherCalls += 1
            }
            return Completion(token: token, result: -ETIME)
        }
    }

    /// Waits up to `limit` ms (-1: forever) for `events`; false when the time ran out.
    private func waitFor(_ fd: Int32, _ events: Int16, limit: Int32) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        counters.otherCalls += 1
        return poll(&p, 1, limit) != 0
    }

    public func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pool.pointer(index), count: count)
    }

    public func recycle(bufferIndex: UInt16) { pool.give(bufferIndex) }

    /// Best-effort: does nothing. Shut the descriptor down to unblock a read.
    public func wakeup() {}

    public var describe: String { "blocking (buffers=\(pool.count)x\(pool.size)B)" }
}
