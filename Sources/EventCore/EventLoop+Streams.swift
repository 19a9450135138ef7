// EventLoop+Streams: streamed responses (ResponseStreaming.swift): the head now, the body chunk by
// chunk as the responder writes it, in pipelining order, with back-pressure from the socket.
import HTTP1
import Responding

/// A streamed response is owed until `finish` or `abort`: while it is the next in order
/// (`Connection.streamFraming` set) its chunks go straight into `pending`, so every chunk
/// written in one turn leaves in that turn's single send; while an earlier response is still
/// owed it collects in its `held` entry and follows once that one is written. Producers stop
/// when `write` says `.full` (the connection's unsent output, `Connection.unsentBytes`, is at
/// `streamHighWaterBytes`) and are called back from `flush` once it is below again.
extension EventLoop {
    public func begin(_ handle: ResponseHandle, status: Int, _ writeHead: (OutputBuffer) -> Void) -> Bool {
        guard let (conn, offset) = owing(handle) else {
            stats.staleResponses += 1
            return false
        }
        stats.count(status: status)
        stats.streamedResponses += 1
        let framing = handle.streamFraming(status: status)
        if offset == 0 {
            writeHead(conn.pending)
            conn.streamFraming = framing
        } else {
            let out = takeSpareOutput()
            writeHead(out)
            conn.held.append(HeldResponse(sequence: handle.sequence, output: out, stream: .open(framing)))
        }
        markDirty(conn)
        return true
    }

    public func write(_ handle: ResponseHandle, _ bytes: UnsafeRawBufferPointer) -> StreamWrite {
        guard let (conn, out, framing) = openStream(handle) else { return .gone }
        switch framing {
        case .chunked: HTTPResponseWriter.appendChunk(bytes, into: out)
        case .untilClose: out.append(bytes)
        case .none: break
        }
        stats.streamWrites += 1
        markDirty(conn)
        guard conn.unsentBytes >= streamHighWaterBytes else { return .accepted }
        stats.streamPauses += 1
        return .full
    }

    public func finish(_ handle: ResponseHandle) {
        guard let (conn, out, framing) = openStream(handle) else { return }
        if framing == .chunked { HTTPResponseWriter.appendLastChunk(into: out) }
        end(handle, conn, closeAfter: framing == .untilClose)
    }

    public func abort(_ handle: ResponseHandle) {
        guard let (conn, _, _) = openStream(handle) else { return }
        stats.streamAborts += 1
        end(handle, conn, closeAfter: true)
    }

    public func notifyWhenDrained(_ handle: ResponseHandle, _ client: ResponseDrainClient) -> Bool {
        guard Int(handle.slot) < slots.count else { return false }
        let conn = slots[Int(handle.slot)]
        guard conn.inUse, !conn.isClosing, conn.generation == handle.generation,
              handle.sequence &- conn.nextToWrite < conn.owedResponses else { return false }
        conn.drainWaiters.append((handle, client))
        markDirty(conn)
        return true
    }

    /// The begun, not yet ended stream of `handle`: its connection, the buffer its body goes
    /// to now and its framing.
    private func openStream(_ handle: ResponseHandle) -> (Connection, OutputBuffer, StreamFraming)? {
        guard Int(handle.slot) < slots.count else { return nil }
        let conn = slots[Int(handle.slot)]
        guard conn.inUse, conn.generation == handle.generation else { return nil }
        if handle.sequence == conn.nextToWrite, let framing = conn.streamFraming {
            return (conn, conn.pending, framing)
        }
        for entry in conn.held where entry.sequence == handle.sequence {
            if case .open(let framing) = entry.stream { return (conn, entry.output, framing) }
        }
        return nil
    }

    private func end(_ handle: ResponseHandle, _ conn: Connection, closeAfter: Bool) {
        if handle.sequence == conn.nextToWrite && conn.streamFraming != nil {
            conn.streamFraming = nil
            conn.nextToWrite &+= 1
            if closeAfter { endAfterOutput(conn) } else { releaseHeld(conn) }
        } else if let i = conn.held.firstIndex(where: { $0.sequence == handle.sequence }) {
            conn.held[i].stream = .ended(closeAfter: closeAfter)
        }
        // Framing may have paused while responses were owed; it resumes from `flush`, since
        // this may run inside the responder's own call.
        conn.resumeFraming = true
        markDirty(conn)
    }

    /// What is in the output goes out, then the connection closes: no more requests are read
    /// and later responses are dropped (a body cut short, or one framed by the close).
    func endAfterOutput(_ conn: Connection) {
        recycleHeld(conn)
        conn.streamFraming = nil
        conn.nextToWrite = conn.requests
        conn.inputStart = conn.inputEnd
        conn.drain()
    }

    /// From `flush`: calls the producers waiting on `conn` when its unsent output is below the
    /// high-water mark, or when their response can no longer be delivered.
    func callDrainWaiters(_ conn: Connection) {
        // Only the waiters there now: one called may write and ask again, and that new wait
        // is for a later drain.
        var n = conn.drainWaiters.count
        var i = 0
        while i < n {
            let waiter = conn.drainWaiters[i]
            let undeliverable = !conn.inUse || conn.isClosing || conn.generation != waiter.handle.generation
                || waiter.handle.sequence &- conn.nextToWrite >= conn.owedResponses
            guard undeliverable || conn.unsentBytes < streamHighWaterBytes else { i += 1; continue }
            conn.drainWaiters.remove(at: i)
            n -= 1
            serialised { waiter.client.outputDrained(waiter.handle) }
        }
    }
}
