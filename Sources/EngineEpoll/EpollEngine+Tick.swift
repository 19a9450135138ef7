// EpollEngine+Tick: one submitAndReap = run queued ops, flush sends, one epoll_wait, do ready work.
import Platform
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

extension EpollEngine {
    public func submitAndReap(wait: Bool, timeoutNanos: Int64,
                              into completions: inout [Completion]) throws(IOError) -> Int {
        let start = completions.count
        let room = completions.capacity - completions.count
        let limit = start + (room > 0 ? room : options.maxEvents * options.readsPerTurn)
        runOps(into: &completions)
        for fd in dirty {
            fds[Int(fd)].dirty = false
            flush(fd, into: &completions)
        }
        dirty.removeAll(keepingCapacity: true)
        unparkStarved()
        let idle = completions.count == start && ready.isEmpty && wait
        try poll(timeoutMs: idle ? waitMs(timeoutNanos) : 0)
        doReadyWork(limit: limit, into: &completions)
        expireTimers(into: &completions)
        let appended = completions.count - start
        counters.completions += UInt64(appended)
        return appended
    }

    /// How long epoll_wait may block: until the caller's limit or the next timer, rounded up
    /// to whole milliseconds so a timer never causes a busy loop of 0 ms waits.
    private func waitMs(_ timeoutNanos: Int64) -> Int32 {
        var nanos: Int64 = timeoutNanos > 0 ? timeoutNanos : -1
        if let next = timers.map(\.deadlineNanos).min() {
            let left = max(0, next - now())
            nanos = nanos < 0 ? left : min(nanos, left)
        }
        if nanos < 0 { return -1 }
        return Int32(min(Int64(Int32.max), (nanos + 999_999) / 1_000_000))
    }

    private func poll(timeoutMs: Int32) throws(IOError) {
        counters.epollWaitCalls += 1
        let n = epoll_wait(epfd, events, Int32(options.maxEvents), timeoutMs)
        if n < 0 {
            if errno == EINTR { return }
            throw IOError(errno: errno, what: "epoll_wait")
        }
        counters.epollEvents += UInt64(n)
        for i in 0..<Int(n) {
            let ev = events[i]
            let fd = ev.data.fd
            if fd == wakeFd {
                var value: UInt64 = 0
                counters.otherCalls += 1
                _ = read(wakeFd, &value, 8)
                continue
            }
            guard Int(fd) < fds.count, fds[Int(fd)].registered else { continue }
            let bits = ev.events
            if bits & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                fds[Int(fd)].readable = true
            }
            if bits & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                fds[Int(fd)].peerClosed = true
            }
            if bits & (EPOLLOUT.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                fds[Int(fd)].writable = true
            }
            markReady(fd)
        }
    }

    /// Lets parked descriptors read again, oldest first, one per free buffer. Done once per tick
    /// from the pool's real count rather than once per `recycle`: a buffer also comes back when a
    /// let-go descriptor reads EOF or EAGAIN into it, or is closed before its turn, and a wakeup
    /// tied to `recycle` alone was lost then (parked descriptors, every buffer free, no tick to
    /// come). A descriptor that finds the buffers taken again simply parks at the back.
    func unparkStarved() {
        var free = pool.available
        while free > 0, starvedHead < starved.count {
            let fd = starved[starvedHead]
            starvedHead += 1
            guard Int(fd) < fds.count, fds[Int(fd)].starved else { continue }
            fds[Int(fd)].starved = false
            markReady(fd)
            free -= 1
        }
        if starvedHead == starved.count {
            starved.removeAll(keepingCapacity: true)
            starvedHead = 0
        } else if starvedHead >= 64, starvedHead * 2 >= starved.count {
            starved.removeFirst(starvedHead)
            starvedHead = 0
        }
    }

    private func doReadyWork(limit: Int, into completions: inout [Completion]) {
        swap(&ready, &nextReady)
        ready.removeAll(keepingCapacity: true)
        for fd in nextReady {
            let i = Int(fd)
            guard i < fds.count, fds[i].inReady else { continue }
            fds[i].inReady = false
            if completions.count >= limit {
                markReady(fd)
                continue
            }
            if fds[i].writable, fds[i].connectPending { finishConnect(fd, into: &completions) }
            if fds[i].writable, !fds[i].sends.isEmpty { flush(fd, into: &completions) }
            if fds[i].readable, fds[i].acceptArmed { acceptLoop(fd, limit: limit, into: &completions) }
            if fds[i].readable, fds[i].recvArmed, !fds[i].starved { readLoop(fd, limit: limit, into: &completions) }
            markReady(fd)
        }
        nextReady.removeAll(keepingCapacity: true)
    }

    private func expireTimers(into completions: inout [Completion]) {
        guard !timers.isEmpty else { return }
        let t = now()
        var i = 0
        while i < timers.count {
            if timers[i].deadlineNanos <= t {
                completions.append(Completion(token: timers[i].token, result: -ETIME))
                timers.swapAt(i, timers.count - 1)
                timers.removeLast()
            } else {
                i += 1
            }
        }
    }

    /// CLOCK_MONOTONIC in nanoseconds (vDSO, no syscall).
    func now() -> Int64 { monotonicNanos() }
}
