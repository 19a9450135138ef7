// EventLoop+HandOver: connections that cross threads or processes: adopted with bytes already
// read (connection threads, workers), delivered from other threads through the inbox, and
// given away to a ConnectionTaker (process model).
import Platform
import HTTP1
import IOCore

extension EventLoop {
    /// Takes over an already-accepted connection, with bytes that were already read from it
    /// (the blocking mode's connection threads and the process model's workers use this).
    public func adopt(fd: Int32, initialBytes: UnsafeRawBufferPointer, origin: Int32 = 0) {
        // Adopted between turns (a connection thread may have waited long): a fresh clock.
        turnSeconds = clock() / 1_000_000_000
        guard let conn = openConnection(fd: fd) else { return }
        conn.origin = origin
        if initialBytes.count > 0 {
            receive(initialBytes, on: conn)
        }
        if conn.isOpen { conn.receiveState = .wanted }
        markDirty(conn)
        flush()
    }

    /// Gives the loop a connection from another thread (a worker handing one back); the loop
    /// adopts it at the start of its next turn. Safe from any thread.
    public func deliver(fd: Int32, bytes: [UInt8], origin: Int32) {
        inbox.withLock { $0.append((fd, bytes, origin)) }
        inboxCount.add(1, ordering: .releasing)
        engine.wakeup()
    }

    func drainInbox() {
        guard inboxCount.load(ordering: .acquiring) > 0 else { return }
        let items = inbox.withLock { box -> [(fd: Int32, bytes: [UInt8], origin: Int32)] in
            let taken = box
            box.removeAll()
            return taken
        }
        inboxCount.subtract(items.count, ordering: .releasing)
        for item in items {
            item.bytes.withUnsafeBytes { adopt(fd: item.fd, initialBytes: $0, origin: item.origin) }
        }
    }

    /// Gives the connection to its taker once nothing is in flight on it. On success the
    /// loop closes its own copy (the engines' close never calls shutdown(2)); on failure it
    /// answers 502 and closes.
    func handOver(_ conn: Connection) {
        guard let taker = conn.taker else { return }
        conn.lifecycle = .draining
        let rc = taker.take(fd: conn.fd, bytes: UnsafeRawBufferPointer(conn.unconsumed),
                            origin: conn.origin | (isDraining ? DrainState.originBit : 0))
        conn.inputStart = conn.inputEnd
        if rc == 0 {
            stats.requests += 1
            stats.handedOver += 1
            return
        }
        stats.handOverFailures += 1
        logger.warning("hand-over failed: \(errnoName(rc)); answered 502")
        let handle = nextHandle(conn, keepAlive: false, isHead: false)
        _ = complete(handle) { out in
            HTTPResponseWriter.writeText(status: 502, "Bad Gateway: the tenant's worker process is not available\n",
                                         keepAlive: false, into: out)
            return 502
        }
    }
}
