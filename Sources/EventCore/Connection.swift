// Connection: one client connection's state inside an event loop (buffers, parser, lifecycle,
// operations in flight, responses still owed in request order).
import HTTP1
import Responding

/// Where a connection is in its life. Operations in flight (a send, a receive) are tracked
/// beside it, because a connection in any live state may still have some.
enum ConnectionLifecycle {
    /// The slot holds no connection.
    case free
    /// Reading and answering requests.
    case open
    /// No more requests are read; the connection closes once every owed response is written
    /// and sent (after `connection: close`, end of input, an error, or a hand-over done).
    case draining
    /// A router gave the connection away: it goes to the taker once nothing is in flight on
    /// it and every earlier response is sent (so they leave in order).
    case handingOver(ConnectionTaker)
    /// The close is queued; the slot is freed when its last operation completes.
    case closing
}

/// Whether the connection's receive is armed.
enum ReceiveState {
    case idle
    /// Re-arm at the end of this turn, after the sends are queued (so an engine that runs
    /// operations in order, such as the blocking one, answers before it reads).
    case wanted
    /// A receive is in flight.
    case armed
}

/// A response settled (or begun, when streamed) ahead of an earlier one, waiting in `held`.
struct HeldResponse {
    /// Whether the response is whole, or streamed and still open, or streamed and ended.
    enum Stream {
        case whole
        /// Begun: its body so far is in `output`, more follows through the handle.
        case open(StreamFraming)
        /// Ended; `closeAfter` when the connection must close after it (aborted, or framed by
        /// the end of the connection).
        case ended(closeAfter: Bool)
    }
    let sequence: UInt32
    let output: OutputBuffer
    var stream: Stream
}

/// A connection slot. Slots are reused: a closed connection's object is reset and handed to
/// the next accepted socket, so a warm server allocates nothing per connection.
///
/// Buffer ownership follows the engine contract: `sending` is owned by an in-flight `.send`
/// until its completion; new responses go to `pending` meanwhile, and the two swap when the
/// send completes. A slot is freed only once no operation on it is in flight, so no stale
/// completion can ever name a reused slot (the loop still checks the generation).
///
/// Response order: request n gets sequence n. `pending` only ever receives the response of
/// `nextToWrite`; a response that settles earlier than one before it waits in `held`.
final class Connection {
    let slot: UInt32
    var generation: UInt32 = 0
    var fd: Int32 = -1
    var lifecycle = ConnectionLifecycle.free
    var receiveState = ReceiveState.idle

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
    /// once until its last completion). Never negative.
    var opsInFlight = 0
    /// Listed in the loop's flush list for this turn.
    var dirty = false
    /// Requests framed on this connection (for logs and tests of keep-alive); also the
    /// sequence number the next request gets.
    var requests: UInt32 = 0
    /// Sequence number of the next response to append to `pending`.
    var nextToWrite: UInt32 = 0
    /// Responses settled ahead of an earlier one, with their sequence numbers.
    var held: [HeldResponse] = []
    /// The framing of the streamed response `nextToWrite` when it has begun (its head and
    /// body so far are in `pending`/`sending`); nil when none is streaming at the head.
    var streamFraming: StreamFraming?
    /// Producers of streamed responses waiting for the output to drain (EventLoop+Streams).
    var drainWaiters: [(handle: ResponseHandle, client: ResponseDrainClient)] = []
    /// A streamed response ended from inside a responder's call: framing of pipelined
    /// requests resumes at the next flush, outside that call.
    var resumeFraming = false
    /// When bytes last arrived (the loop's per-turn CLOCK_MONOTONIC seconds), for the idle timeout.
    var lastActivitySeconds: Int64 = 0
    /// When the request head now arriving began (-1: not in a head), for the header timeout.
    var headStartedSeconds: Int64 = -1
    /// When the in-flight send was submitted or last made progress, for the send timeout.
    var sendProgressSeconds: Int64 = 0
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
        lifecycle = .open
        receiveState = .idle
        inputStart = 0
        inputEnd = 0
        pending.removeAll()
        sending.removeAll()
        sendInFlight = false
        opsInFlight = 0
        dirty = false
        requests = 0
        nextToWrite = 0
        held.removeAll(keepingCapacity: true)
        streamFraming = nil
        drainWaiters.removeAll()
        resumeFraming = false
        origin = 0
        headStartedSeconds = -1
        parser.reset()
    }

    var inUse: Bool {
        if case .free = lifecycle { return false }
        return true
    }

    /// Open: still reading and answering requests.
    var isOpen: Bool {
        if case .open = lifecycle { return true }
        return false
    }

    var isClosing: Bool {
        if case .closing = lifecycle { return true }
        return false
    }

    var taker: ConnectionTaker? {
        if case .handingOver(let t) = lifecycle { return t }
        return nil
    }

    /// Responses framed but not yet appended to `pending` (left pending by the responder, or
    /// settled out of order and held).
    var owedResponses: UInt32 { requests &- nextToWrite }

    /// Bytes queued for the client and not yet sent: the streamed bodies' back-pressure.
    var unsentBytes: Int {
        var n = pending.count + (sendInFlight ? sending.count : 0)
        for entry in held { n += entry.output.count }
        return n
    }

    /// Nothing more to write or send for this connection right now.
    var isFlushed: Bool { !sendInFlight && pending.count == 0 && owedResponses == 0 }

    /// Stops reading requests; closes once every owed response is out (no-op past that).
    func drain() {
        if case .open = lifecycle { lifecycle = .draining }
        if case .handingOver = lifecycle { lifecycle = .draining }
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
