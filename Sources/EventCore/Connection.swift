// Connection: one client connection's state inside an event loop (buffers, parser, in-flight ops).
import HTTP1

/// A connection slot. Slots are reused: a closed connection's object is reset and handed to
/// the next accepted socket, so a warm server allocates nothing per connection.
///
/// Buffer ownership follows the engine contract: `sending` is owned by an in-flight `.send`
/// until its completion; new responses go to `pending` meanwhile, and the two swap when the
/// send completes. A slot is freed only once no operation on it is in flight, so no stale
/// completion can ever name a reused slot.
final class Connection {
    let slot: UInt32
    var generation: UInt32 = 0
    var fd: Int32 = -1

    /// Received bytes not yet consumed: `input[inputStart..<inputEnd]`.
    var input: UnsafeMutableRawPointer
    var inputCapacity: Int
    var inputStart = 0
    var inputEnd = 0

    var parser: HTTPRequestParser
    /// Responses being written while `sending` is in flight.
    var pending: OutputBuffer
    /// Bytes owned by the in-flight send (if `sendInFlight`).
    var sending: OutputBuffer
    var sendInFlight = false

    /// Operations enqueued whose final completion has not arrived (a multishot receive counts
    /// once until its last completion).
    var opsInFlight = 0
    var recvArmed = false
    /// Wants a receive re-armed at the end of this loop turn (after sends are queued, so an
    /// engine that runs operations in order, such as the blocking one, answers before it reads).
    var wantsRecv = false
    /// No more requests are read; close once the pending bytes are sent.
    var closeAfterFlush = false
    var closeQueued = false
    /// Listed in the loop's flush list for this turn.
    var dirty = false
    var inUse = false
    /// Requests answered on this connection (for logs and tests of keep-alive).
    var requests = 0
    /// When bytes last arrived (the loop's per-turn CLOCK_MONOTONIC seconds), for the idle timeout.
    var lastActivitySeconds: Int64 = 0
    /// When the request head now arriving began (-1: not in a head), for the header timeout.
    var headStartedSeconds: Int64 = -1
    /// When the in-flight send was submitted or last made progress, for the send timeout.
    var sendProgressSeconds: Int64 = 0
    /// Set once a router decided to give the connection away: it is handed over as soon as no
    /// send and no receive is in flight on it (earlier responses go out first, in order).
    var handOverTo: ConnectionTaker?
    /// Tag the connection arrived with (the front loop's index in the process model).
    var origin: Int32 = 0

    init(slot: UInt32, limits: HTTPLimits) {
        self.slot = slot
        self.inputCapacity = 4096
        self.input = UnsafeMutableRawPointer.allocate(byteCount: inputCapacity, alignment: 16)
        self.parser = HTTPRequestParser(limits: limits)
        self.pending = OutputBuffer(capacity: 4096)
        self.sending = OutputBuffer(capacity: 4096)
    }

    deinit { input.deallocate() }

    /// Prepares the slot for a newly accepted socket.
    func open(fd: Int32) {
        self.fd = fd
        generation &+= 1
        inputStart = 0
        inputEnd = 0
        pending.removeAll()
        sending.removeAll()
        sendInFlight = false
        opsInFlight = 0
        recvArmed = false
        wantsRecv = false
        closeAfterFlush = false
        closeQueued = false
        dirty = false
        inUse = true
        requests = 0
        handOverTo = nil
        origin = 0
        headStartedSeconds = -1
        parser.reset()
    }

    /// Appends received bytes, compacting or growing the input buffer up to `limit` bytes of
    /// unconsumed input. Returns false when the input would exceed `limit` (the parser's own
    /// limits answer 413/431 before that for well-formed requests).
    func appendInput(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Bool {
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
        if inputEnd + bytes.count > inputCapacity {
            if inputStart > 0 {
                let live = inputEnd - inputStart
                input.copyMemory(from: input + inputStart, byteCount: live)
                inputStart = 0
                inputEnd = live
            }
            let need = inputEnd + bytes.count
            if need > inputCapacity {
                if need > limit { return false }
                var newCapacity = inputCapacity * 2
                while newCapacity < need { newCapacity *= 2 }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
                grown.copyMemory(from: input, byteCount: inputEnd)
                input.deallocate()
                input = grown
                inputCapacity = newCapacity
            }
        }
        (input + inputEnd).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        inputEnd += bytes.count
        return true
    }

    /// The unconsumed input, mutable because the parser decodes chunked bodies in place.
    var unconsumed: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: input + inputStart, count: inputEnd - inputStart)
    }
}
