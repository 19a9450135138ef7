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
        guard let (conn, offset) = owing(handle) else {
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

    /// The connection that still owes `handle`'s response, and how many responses come before
    /// it; nil when the client is gone or the response was answered or begun already.
    func owing(_ handle: ResponseHandle) -> (Connection, UInt32)? {
        guard Int(handle.slot) < slots.count else { return nil }
        let conn = slots[Int(handle.slot)]
        let offset = handle.sequence &- conn.nextToWrite
        guard conn.inUse, conn.generation == handle.generation, offset < conn.owedResponses,
              !(offset == 0 && conn.streamFraming != nil),
              !conn.held.contains(where: { $0.sequence == handle.sequence }) else { return nil }
        return (conn, offset)
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
                conn.held.append(HeldResponse(sequence: sequence, output: output, stream: .whole))
                markDirty(conn)
                return
            }
            conn.pending.append(output.bytes)
            output.removeAll()
            spareOutputs.append(output)
        }
        conn.nextToWrite &+= 1
        releaseHeld(conn)
        markDirty(conn)
    }

    /// Moves the responses held behind the one just written into the output, in order, up to
    /// a streamed one still open (which then streams at the head of the line) or one after
    /// which the connection ends.
    func releaseHeld(_ conn: Connection) {
        while !conn.held.isEmpty, let i = conn.held.firstIndex(where: { $0.sequence == conn.nextToWrite }) {
            let next = conn.held.remove(at: i)
            conn.pending.append(next.output.bytes)
            next.output.removeAll()
            spareOutputs.append(next.output)
            switch next.stream {
            case .whole:
                conn.nextToWrite &+= 1
            case .open(let framing):
                conn.streamFraming = framing
                return
            case .ended(let closeAfter):
                conn.nextToWrite &+= 1
                if closeAfter {
                    endAfterOutput(conn)
                    return
                }
            }
        }
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
