// Responder: the contract between the event loop and whatever answers its requests (the isolate
// runtime, a test double); completion-shaped like the engines: answer now, or later by handle.
import HTTP1

/// What a responder did with a request.
public enum ResponseProgress: Equatable, Sendable {
    /// The whole response (head and body) is in the `out` buffer the loop gave; its status.
    case answered(status: Int)
    /// Nothing was written; the responder keeps the `ResponseHandle` and answers later with
    /// `ResponseHandle.complete(_:)`, or streams it with `begin`, `write` and `finish` (see
    /// ResponseStreaming.swift), on the loop's thread.
    case pending
}

/// Answers framed requests. The loop calls `respond` for every request except its own
/// endpoints (`/__isoring/...`), on the loop thread, in the order requests arrive on each
/// connection.
///
/// The request (`request`, ranges into `bytes`) is valid only during the call: a responder that
/// answers later copies what it needs before returning `.pending`. The loop writes responses to
/// the client in request order whatever order they settle in (HTTP/1.1 pipelining, RFC 9112
/// section 9.3.2), so a responder never has to order them itself.
public protocol Responder: AnyObject {
    /// Writes the whole response to `out` and returns `.answered(status:)`, or writes nothing,
    /// keeps `handle` and returns `.pending`. `handle.keepAlive` says whether the response must
    /// carry `connection: close`; `handle.isHead` whether it must leave the body out.
    func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                 into out: OutputBuffer) -> ResponseProgress
}

/// Where a late response goes: the event loop implements it. Called on the loop thread only.
public protocol ResponseSink: AnyObject {
    /// Lets `write` put the response for `handle` into the connection's output and returns true,
    /// or returns false without calling `write` when that response can no longer be delivered
    /// (the connection closed or was reset, or the handle was already completed).
    func complete(_ handle: ResponseHandle, _ write: (OutputBuffer) -> Int) -> Bool

    /// Ends `handle`'s connection once every response owed on it so far is written: nothing
    /// more is read from it. For a responder that refuses a client it will not keep serving
    /// (a penalty-boxed tenant's hammering client past the hold cap); the responder writes
    /// its response with `keepAlive: false` (`connection: close`). Does nothing for a handle
    /// whose connection is gone.
    func endConnection(after handle: ResponseHandle)

    /// The loop's own I/O (timers, client sockets) for work a pending response awaits; nil
    /// when the sink offers none (a responder then settles within `respond` or never).
    var loopIO: LoopIO? { get }

    /// Streamed responses (ResponseStreaming.swift): the head goes to the connection's output
    /// now, the body follows chunk by chunk. False when the response can no longer be
    /// delivered (as `complete`).
    func begin(_ handle: ResponseHandle, status: Int, _ writeHead: (OutputBuffer) -> Void) -> Bool

    /// Appends one piece of a begun response's body (the sink adds the chunk framing).
    func write(_ handle: ResponseHandle, _ bytes: UnsafeRawBufferPointer) -> StreamWrite

    /// Ends a begun response: the last chunk; the connection goes on (or closes, when the body
    /// was framed by the end of the connection).
    func finish(_ handle: ResponseHandle)

    /// Ends a begun response without its last chunk and closes the connection once what was
    /// written is sent, so the client sees a truncated body; later responses are dropped.
    func abort(_ handle: ResponseHandle)

    /// Calls `client.outputDrained(handle)` once, on the loop thread and never from inside a
    /// call of the responder, when the connection's unsent output is below
    /// `streamHighWaterBytes`, or when the response can no longer be delivered (the next
    /// `write` then says `.gone`). May be called from inside `respond` for the request it
    /// answers. Returns false (and never calls) when the response is already undeliverable.
    func notifyWhenDrained(_ handle: ResponseHandle, _ client: ResponseDrainClient) -> Bool
}

/// Names one request on one connection of one loop: the loop's connection slot, the slot's
/// generation (a slot is reused for later connections; a handle of an earlier one is then
/// stale and its completion is ignored) and the request's sequence number on its connection
/// (0, 1, 2... in arrival order). A plain value (no allocation): copy it into whatever waits
/// for the answer (a promise's reaction, a timer, a subrequest's completion).
public struct ResponseHandle {
    /// The loop that asked; only touched on that loop's thread.
    public unowned(unsafe) let sink: ResponseSink
    public let slot: UInt32
    public let generation: UInt32
    public let sequence: UInt32
    /// False when the response must end the connection (`connection: close`).
    public let keepAlive: Bool
    /// The request was HEAD: the response carries the head only.
    public let isHead: Bool
    /// The client speaks HTTP/1.1 or later, so a streamed body can be chunked; an HTTP/1.0
    /// client gets the body until the connection closes.
    public let acceptsChunked: Bool

    public init(sink: ResponseSink, slot: UInt32, generation: UInt32, sequence: UInt32,
                keepAlive: Bool, isHead: Bool, acceptsChunked: Bool = true) {
        self.sink = sink
        self.slot = slot
        self.generation = generation
        self.sequence = sequence
        self.keepAlive = keepAlive
        self.isHead = isHead
        self.acceptsChunked = acceptsChunked
    }

    /// Answers a request its responder left pending: `write` puts the whole response into the
    /// buffer it is given and returns the status code. Call on the loop's thread, once. Returns
    /// false (without calling `write`) when the client is gone or the handle was completed before.
    @discardableResult
    public func complete(_ write: (OutputBuffer) -> Int) -> Bool {
        sink.complete(self, write)
    }
}

/// Work a loop runs besides requests, off the request path (the isolate runtime's prewarm pool
/// and memory housekeeping are one). Called on the loop thread.
public protocol LoopHook: AnyObject {
    /// True when `turnEnded` has work to do; read every turn, so it must be cheap.
    var wantsTurnEnd: Bool { get }

    /// At the end of a turn, after the turn's sends went to the kernel: room for one small
    /// piece of idle work (one prewarmed context at most).
    func turnEnded()

    /// About once a second (memory caps, statistics).
    func tick()

    /// The loop began a graceful stop (SIGTERM): answer at once every response held back on
    /// `sink` only to make a client wait (the penalty box's tarpit), so the drain waits on
    /// none of them. Called once per loop, on its thread; `sink` is that loop.
    func drainBegan(on sink: ResponseSink)
}

extension LoopHook {
    public var wantsTurnEnd: Bool { false }
    public func turnEnded() {}
    public func tick() {}
    public func drainBegan(on sink: ResponseSink) {}
}
