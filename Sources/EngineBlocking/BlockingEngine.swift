// BlockingEngine: plain blocking syscalls behind the completion protocol, one op at a time.
import CLinux
import IOCore
import Platform
#if canImport(Glibc)
import Glibc
#endif

/// Runs each queued operation with a blocking syscall, in order, when `submitAndReap` is
/// called, and reports its result as a completion. Used by the thread-per-connection mode and
/// by worker processes serving one handed-over connection: the cost being measured is that of
/// plain accept4/read/write/close, one syscall per step.
///
/// How it honours the `IOEngine` contract:
/// - `wait`: true lets each queued operation block in turn (a send, then the read of the next
///   request: one read per request, the cost this engine measures). False never blocks in a
///   receive: it is tried with recv(MSG_DONTWAIT) and, when no byte is there, stays queued for
///   the next call. With nothing queued it returns at once even when `wait` is true: nothing
///   could ever complete, and blocking forever would hang the caller. A receive with
///   operations queued behind it (a response the loop queued while the receive was armed, such
///   as a timeout's 408) is only tried, as with false, so it never holds them up.
/// - `timeoutNanos`: a receive or send blocks at most that long (SO_RCVTIMEO and SO_SNDTIMEO,
///   set once per descriptor, or poll(2) for a descriptor left non-blocking by a hand-over),
///   so the loop's tick and its idle, header, body and send timeouts run between slices and
///   no thread sits in read(2) or send(2) on a silent peer forever. A receive whose slice ran
///   out stays queued and the call returns; a send whose slice ran out completes with what it
///   sent, or -ETIMEDOUT when nothing went (the loop sends the rest again). An accept blocks
///   without limit (the acceptor is stopped by shutdown(2) of the listener).
/// - `.timeout`: kept apart from the queue by deadline; it never blocks ahead of other
///   operations. With nothing else to run and `wait` true, the call sleeps (nanosleep) until the
///   earliest deadline, at most `timeoutNanos`; due timers complete with -ETIME.
/// - `wakeup()` does nothing: a thread blocked in a receive sees the loop's stop flag once the
///   timeout returns it (the loop passes 1 s). Interrupting the read itself would take a poll(2)
///   on an eventfd beside every read: a second syscall per request, which this engine exists to
///   leave out.
public final class BlockingEngine: IOEngine {
    public private(set) var counters = EngineCounters()
    private let pool: BufferPool
    /// Queued operations; `cancelled` marks a receive whose descriptor's close was queued
    /// behind it (it completes with -ECANCELED instead of reading, as the contract's close says).
    private var queue: [(op: Operation, token: UInt64, cancelled: Bool)] = []
    /// The descriptor whose receive and send timeouts are set (and to what), and whether it
    /// is non-blocking; forgotten when this engine closes it.
    private var timedFd: Int32 = -1
    private var timedNanos: Int64 = 0
    private var timedFdNonBlocking = false
    /// Timeouts by deadline (CLOCK_MONOTONIC ns). They never run ahead of other queued
    /// operations: a timer sleeps only when nothing else is left to do (see `sleepForTimers`).
    private var timers: [(deadline: Int64, token: UInt64)] = []

    public init(bufferCount: Int = 64, bufferSize: Int = 16384) {
        pool = BufferPool(count: bufferCount, size: bufferSize)
        queue.reserveCapacity(64)
    }

    public func enqueue(_ operation: Operation, token: UInt64) -> Bool {
        if case .timeout(let nanoseconds) = operation {
            timers.append((monotonicNanos() + nanoseconds, token))
            return true
        }
        if case .close(let fd) = operation {
            for i in queue.indices {
                switch queue[i].op {
                case .recv(fd), .recvOnce(fd): queue[i].cancelled = true
                default: break
                }
            }
        }
        queue.append((operation, token, false))
        return true
    }

    /// Runs queued operations in order until none is left or the caller's room is used up. A
    /// receive that would block past what `wait` and `timeoutNanos` allow stays queued, armed
    /// as the kernel would keep it, and the operations queued after it still run: a response
    /// the loop queues while a receive waits (a 408 from a timeout, a late answer) goes out
    /// in the same call, where stopping at the receive would hold it behind the next request.
    public func submitAndReap(wait: Bool, timeoutNanos: Int64,
                              into completions: inout [Completion]) throws(IOError) -> Int {
        let room = completions.capacity - completions.count
        let limit = room > 0 ? room : Int.max
        var appended = 0
        var kept = 0
        for i in queue.indices {
            let item = queue[i]
            var completion: Completion?
            if appended < limit {
                completion = item.cancelled ? Completion(token: item.token, result: -ECANCELED)
                    // Only the last operation may wait: nothing queued behind it is held up.
                    : run(item.op, token: item.token, wait: wait && i == queue.count - 1, timeoutNanos: timeoutNanos)
            }
            guard let completion else {
                queue[kept] = item
                kept += 1
                continue
            }
            completions.append(completion)
            appended += 1
        }
        queue.removeLast(queue.count - kept)
        if !timers.isEmpty {
            if appended == 0 && wait && queue.isEmpty { sleepForTimers(timeoutNanos) }
            appended += expireTimers(into: &completions)
        }
        counters.completions += UInt64(appended)
        return appended
    }

    /// Runs one operation; nil when it is a receive that would block past `wait`/`timeoutNanos`.
    private func run(_ op: Operation, token: UInt64, wait: Bool, timeoutNanos: Int64) -> Completion? {
        switch op {
        case .accept(let listener):
            while true {
                counters.acceptCalls += 1
                let fd = isoring_accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
                if fd >= 0 { return Completion(token: token, result: fd) }
                if errno == EINTR { continue }
                if errno == EAGAIN { waitFor(listener, Int16(POLLIN)); continue }
                return Completion(token: token, result: -errno)
            }
        case .recv(let fd), .recvOnce(let fd):
            return receive(fd, token: token, wait: wait, timeoutNanos: timeoutNanos)
        case .send(let fd, let bytes):
            if timeoutNanos > 0 { limitBlocking(fd, timeoutNanos) }
            // The slice this send may block for (0: no limit, a loop that passed none).
            let slice = fd == timedFd ? timedNanos : 0
            var sent = 0
            while sent < bytes.count {
                counters.writeCalls += 1
                let n = Glibc.send(fd, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                if n >= 0 { sent += n; continue }
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN {
                    // SO_SNDTIMEO ran out, or a non-blocking socket stayed full for a slice.
                    if fd == timedFd && !timedFdNonBlocking && slice > 0 {
                        return Completion(token: token, result: sent > 0 ? Int32(sent) : -ETIMEDOUT)
                    }
                    if waitFor(fd, Int16(POLLOUT), timeoutNanos: slice) { continue }
                    return Completion(token: token, result: sent > 0 ? Int32(sent) : -ETIMEDOUT)
                }
                return Completion(token: token, result: sent > 0 ? Int32(sent) : -e)
            }
            return Completion(token: token, result: Int32(sent))
        case .close(let fd):
            if fd == timedFd { timedFd = -1 }
            counters.closeCalls += 1
            return Completion(token: token, result: close(fd) == 0 ? 0 : -errno)
        case .connect(let fd, let address):
            counters.otherCalls += 1
            let rc = Glibc.connect(fd, address.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                                   socklen_t(address.count))
            return Completion(token: token, result: rc == 0 ? 0 : -errno)
        case .timeout:
            preconditionFailure("timeouts are kept apart from the queue (see enqueue)")
        }
    }

    /// Nothing else queued: sleeps until the earliest timer (at most `timeoutNanos`).
    private func sleepForTimers(_ timeoutNanos: Int64) {
        guard let next = timers.map(\.deadline).min() else { return }
        var nanos = next - monotonicNanos()
        if timeoutNanos > 0 { nanos = min(nanos, timeoutNanos) }
        guard nanos > 0 else { return }
        var ts = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var left = timespec()
        counters.otherCalls += 1
        while nanosleep(&ts, &left) != 0, errno == EINTR {
            ts = left
            counters.otherCalls += 1
        }
    }

    /// Completes every timer whose deadline has passed (result -ETIME).
    private func expireTimers(into completions: inout [Completion]) -> Int {
        let now = monotonicNanos()
        var fired = 0
        var i = 0
        while i < timers.count {
            if timers[i].deadline <= now {
                completions.append(Completion(token: timers[i].token, result: -ETIME))
                timers.remove(at: i)
                fired += 1
            } else {
                i += 1
            }
        }
        return fired
    }

    private func receive(_ fd: Int32, token: UInt64, wait: Bool, timeoutNanos: Int64) -> Completion? {
        if wait && timeoutNanos > 0 { limitBlocking(fd, timeoutNanos) }
        guard let buffer = pool.take() else {
            counters.bufferExhaustions += 1
            return Completion(token: token, result: -ENOBUFS)
        }
        while true {
            counters.readCalls += 1
            let n = wait ? read(fd, pool.pointer(buffer), pool.size)
                         : recv(fd, pool.pointer(buffer), pool.size, Int32(MSG_DONTWAIT))
            if n > 0 { return Completion(token: token, result: Int32(n), bufferIndex: buffer) }
            let e = errno
            if n < 0, e == EINTR { continue }
            if n < 0, e == EAGAIN {
                // Not waiting, or SO_RCVTIMEO ran out: the receive stays queued.
                guard wait, timedFdNonBlocking || timeoutNanos <= 0 || fd != timedFd else { pool.give(buffer); return nil }
                // A handed-over socket may still be non-blocking: wait for it instead of failing.
                if waitFor(fd, Int16(POLLIN), timeoutNanos: timeoutNanos) { continue }
                pool.give(buffer)
                return nil
            }
            pool.give(buffer)
            return Completion(token: token, result: n == 0 ? 0 : -e)
        }
    }

    /// Sets SO_RCVTIMEO and SO_SNDTIMEO on `fd` once (three syscalls per connection, counted),
    /// so a blocking read or send returns EAGAIN after `nanos`.
    private func limitBlocking(_ fd: Int32, _ nanos: Int64) {
        guard fd != timedFd || nanos != timedNanos else { return }
        counters.otherCalls += 3
        timedFd = fd
        timedNanos = nanos
        timedFdNonBlocking = fcntl(fd, F_GETFL) & O_NONBLOCK != 0
        var tv = timeval(tv_sec: Int(nanos / 1_000_000_000), tv_usec: Int(nanos % 1_000_000_000) / 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// poll(2) for `events` on `fd`, at most `timeoutNanos` (0 = no limit); false on timeout.
    @discardableResult
    private func waitFor(_ fd: Int32, _ events: Int16, timeoutNanos: Int64 = 0) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        counters.otherCalls += 1
        let millis = timeoutNanos > 0 ? Int32(clamping: (timeoutNanos + 999_999) / 1_000_000) : -1
        return poll(&p, 1, millis) != 0
    }

    public func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pool.pointer(index), count: count)
    }

    public func recycle(bufferIndex: UInt16) { pool.give(bufferIndex) }

    /// Does nothing (see the type's notes): a receive returns within `timeoutNanos`.
    public func wakeup() {}

    public var describe: String { "blocking (buffers=\(pool.count)x\(pool.size)B)" }
}
