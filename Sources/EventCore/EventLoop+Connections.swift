// EventLoop+Connections: the slot table, the end-of-turn flush (one send per connection with
// output, then receives, then closes), closing on error and the idle timeout.
import HTTP1
import IOCore

extension EventLoop {
    func openConnection(fd: Int32) -> Connection? {
        let conn: Connection
        if let slot = freeSlots.popLast() {
            conn = slots[Int(slot)]
        } else if slots.count < options.maxConnections {
            conn = Connection(slot: UInt32(slots.count), limits: options.limits)
            slots.append(conn)
        } else {
            stats.connectionsRefused += 1
            submit(.close(fd: fd), Token(slot: Token.refusedSlot, generation: 0, kind: .close))
            return nil
        }
        conn.open(fd: fd)
        conn.lastActivitySeconds = turnSeconds
        liveConnections += 1
        return conn
    }

    /// Frees the slot once the connection is closed and nothing on it is in flight.
    func release(_ conn: Connection) {
        guard conn.isClosing, conn.opsInFlight == 0 else { return }
        conn.lifecycle = .free
        // Producers still waiting learn that their response is gone.
        if !conn.drainWaiters.isEmpty { callDrainWaiters(conn) }
        conn.receiveState = .idle
        conn.fd = -1
        // Responses a responder still owes this connection are dropped when they settle: the
        // next connection in this slot has another generation.
        recycleHeld(conn)
        liveConnections -= 1
        precondition(liveConnections >= 0, "more connections released than opened")
        freeSlots.append(conn.slot)
    }

    /// The peer reset the connection or a send failed: nothing more can be sent, so queued
    /// output and owed responses are dropped and the connection closes at the next flush.
    func abandon(_ conn: Connection) {
        conn.pending.removeAll()
        recycleHeld(conn)
        conn.streamFraming = nil
        conn.nextToWrite = conn.requests
        conn.inputStart = conn.inputEnd
        if !conn.isClosing { conn.lifecycle = .draining }
    }

    @inline(__always)
    func markDirty(_ conn: Connection) {
        if !conn.dirty {
            conn.dirty = true
            flushList.append(conn.slot)
        }
    }

    /// End of turn: one send per connection with output, then receives, then closes. Sends
    /// go first so that an engine that runs operations in order answers before it blocks
    /// (IOEngine documents that order as part of the contract).
    func flush() {
        var i = 0
        while i < flushList.count {
            let conn = slots[Int(flushList[i])]
            i += 1
            conn.dirty = false
            guard conn.inUse, !conn.isClosing else { continue }
            if conn.resumeFraming {
                conn.resumeFraming = false
                if conn.isOpen && conn.inputEnd > conn.inputStart { processInput(conn) }
            }
            // Streamed bodies written now ride in the send queued just below.
            if !conn.drainWaiters.isEmpty { callDrainWaiters(conn) }
            if conn.taker != nil, conn.isFlushed, conn.receiveState != .armed {
                handOver(conn)
            }
            if !conn.sendInFlight && conn.pending.count > 0 {
                swap(&conn.pending, &conn.sending)
                conn.sendProgressSeconds = turnSeconds
                conn.sendInFlight = true
                conn.opsInFlight += 1
                submit(.send(fd: conn.fd, bytes: conn.sending.bytes),
                       Token(slot: conn.slot, generation: conn.generation, kind: .send))
            }
            switch conn.lifecycle {
            case .draining:
                if conn.isFlushed {
                    conn.lifecycle = .closing
                    conn.opsInFlight += 1
                    submit(.close(fd: conn.fd), Token(slot: conn.slot, generation: conn.generation, kind: .close))
                }
            case .open where conn.receiveState == .wanted && !(options.blockingIO && conn.owedResponses > 0):
                conn.receiveState = .armed
                conn.opsInFlight += 1
                submit(router == nil ? .recv(fd: conn.fd) : .recvOnce(fd: conn.fd),
                       Token(slot: conn.slot, generation: conn.generation, kind: .recv))
            default:
                break
            }
        }
        flushList.removeAll(keepingCapacity: true)
    }

    /// Closes connections idle between requests for `idleTimeoutSeconds`: nothing buffered
    /// (a request that has begun is the header and body timeouts', EventLoop+Timeouts.swift)
    /// and nothing owed (no send in flight, no response owed). Once a second, O(slots).
    func closeIdleConnections() {
        guard options.idleTimeoutSeconds > 0 else { return }
        let now = turnSeconds
        for conn in slots where conn.isOpen && conn.isFlushed && conn.inputEnd == conn.inputStart
            && now - conn.lastActivitySeconds >= Int64(options.idleTimeoutSeconds) {
            stats.idleTimeouts += 1
            conn.drain()
            markDirty(conn)
        }
        flush()
    }
}
