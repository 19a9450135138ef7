// EventLoop+Responses: responses in request order. A response settles now (the responder
// answered in the call) or later (through its ResponseHandle); either way it reaches the
// connection's output only after every earlier response on that connection.
import HTTP1
import Responding

extension EventLoop: ResponseSink {
    public var loopIO: LoopIO? { self }

    /// Delivers a response a responder left pending (see Responding.ResponseHandle). Called on
    /// the loop thread, inside a turn (from a completion or a hook) or between turns; the
    /// response is sent at the end of the turn, or by the next turn without waiting.
    public func complete(_ handle: ResponseHandle, _ write: (OutputBuffer) -> Int) -> Bool {
        guard Int(handle.slot) < slots.count else {
            stats.staleResponses += 1
            return false
        }
        let conn = slots[Int(handle.slot)]
        let offset = handle.sequence &- conn.nextToWrite
        guard conn.inUse, conn.generation == handle.generation, offset < conn.owedResponses,
              !conn.held.contains(where: { $0.sequence == handle.sequence }) else {
            // The client is gone (reset, closed, slot reused) or the handle was completed.
            stats.staleResponses += 1
            return false
        }
        if offset == 0 {
            let status = write(conn.pending)
            settled(conn, handle.sequence, status: status, output: nil)
        } else {
            let out = takeSpareOutput()
            let status = write(out)
            settled(conn, handle.sequence, status: status, output: out)
        }
        // Framing may have paused because too many responses were owed.
        if conn.isOpen && conn !== framing && conn.inputEnd > conn.inputStart { processInput(conn) }
        markDirty(conn)
        return true
    }

    /// Stops reading `handle`'s connection and closes it once its owed responses are out.
    public func endConnection(after handle: ResponseHandle) {
        guard Int(handle.slot) < slots.count else { return }
        let conn = slots[Int(handle.slot)]
        guard conn.inUse, conn.generation == handle.generation else { return }
        conn.drain()
        markDirty(conn)
    }

    /// Records a settled response: written into `pending` already (`output` nil, only for
    /// the next response in order), or in `output`, which waits in `held` until its turn.
    func settled(_ conn: Connection, _ sequence: UInt32, status: Int, output: OutputBuffer?) {
        stats.count(status: status)
        if let output {
            guard sequence == conn.nextToWrite else {
                conn.held.append((sequence, output))
                markDirty(conn)
                return
            }
            conn.pending.append(output.bytes)
            output.removeAll()
            spareOutputs.append(output)
        }
        conn.nextToWrite &+= 1
        // Responses held behind this one follow it now, in order.
        while !conn.held.isEmpty, let i = conn.held.firstIndex(where: { $0.sequence == conn.nextToWrite }) {
            let next = conn.held.remove(at: i).output
            conn.pending.append(next.bytes)
            next.removeAll()
            spareOutputs.append(next)
            conn.nextToWrite &+= 1
        }
        markDirty(conn)
    }

    /// An empty output buffer for a response that settles out of order.
    func takeSpareOutput() -> OutputBuffer {
        spareOutputs.popLast() ?? OutputBuffer(capacity: 4096)
    }

    /// Gives a closing connection's held responses' buffers back.
    func recycleHeld(_ conn: Connection) {
        for entry in conn.held {
            entry.output.removeAll()
            spareOutputs.append(entry.output)
        }
        conn.held.removeAll(keepingCapacity: true)
    }
}
