// Server+Drain: SIGTERM's graceful stop: take what is in the accept queue, stop accepting,
// answer every request already received, close idle connections, then stop.
import IOCore
import Platform
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension Server {
    /// Drains every loop (or the connection-thread pool) and stops the server; true when
    /// every connection finished within `timeoutSeconds` (false: the rest were cut off).
    /// Connections already in the kernel's accept queue when the drain begins are accepted
    /// and served first (TCP_INFO's tcpi_unacked is a listener's queue length): a client
    /// whose connect succeeded before the signal counts as one that got in.
    public func drain(timeoutSeconds: Int) -> Bool {
        let started = monotonicNanos()
        let deadline = started + Int64(timeoutSeconds) * 1_000_000_000
        for loop in loops { loop.beginDrain() }
        blocking?.beginDrain()
        let queueDeadline = min(deadline, started + 2_000_000_000)
        while monotonicNanos() < queueDeadline && listeners.contains(where: { Self.acceptQueueLength($0) > 0 }) {
            usleep(5_000)
        }
        for loop in loops { loop.closeListenerForDrain() }
        blocking?.closeListenerForDrain()
        for fd in listeners { shutdown(fd, Int32(SHUT_RDWR)) }
        var clean = false
        while monotonicNanos() < deadline {
            if loops.allSatisfy(\.hasDrained) && (blocking?.hasDrained ?? true) { clean = true; break }
            usleep(10_000)
        }
        stop()
        wait()
        return clean
    }

    /// Connections waiting in a listening socket's accept queue.
    static func acceptQueueLength(_ fd: Int32) -> Int {
        var info = tcp_info()
        var size = socklen_t(MemoryLayout<tcp_info>.size)
        guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, &info, &size) == 0 else { return 0 }
        return Int(info.tcpi_unacked)
    }
}

extension BlockingAcceptor {
    /// Every connection thread's loop drains; connections still to come through the gate or
    /// the queue are served with `Connection: close` by the same loops.
    func beginDrain() {
        drainRequested.store(true, ordering: .releasing)
        pthread_mutex_lock(&mutex)
        let loops = loopsOfPool
        pthread_mutex_unlock(&mutex)
        for loop in loops {
            loop.beginDrain()
            loop.closeListenerForDrain()
        }
    }

    /// A connection handed back by a worker process: counted in `live` like an accepted one
    /// (the drain waits for it), or closed when the server is already stopping.
    func deliver(_ fd: Int32, bytes: [UInt8], origin: Int32) {
        pthread_mutex_lock(&mutex)
        let stopped = stopping
        pthread_mutex_unlock(&mutex)
        if stopped { close(fd); return }
        if listener >= 0 { live.add(1, ordering: .relaxed) }
        hand(fd, bytes: bytes, origin: origin)
    }

    func closeListenerForDrain() {
        pthread_mutex_lock(&mutex)
        listenerClosed = true
        pthread_mutex_unlock(&mutex)
    }

    /// No connection left anywhere (gate, queue, threads).
    var hasDrained: Bool {
        listener < 0 ? activeThreads == 0 : live.load(ordering: .acquiring) == 0
    }

    /// Threads serving a connection now (a worker process has no gate to count in `live`).
    var activeThreads: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return threadCount - idle + queue.count
    }
}
