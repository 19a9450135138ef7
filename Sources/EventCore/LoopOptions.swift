// LoopOptions: the limits and sizes of one event loop, fixed at start.
import HTTP1

/// Options of one loop; the server fills them from the command line.
public struct LoopOptions: Sendable {
    public var limits = HTTPLimits()
    /// Connection slots per loop; an accept past this is closed at once and counted as refused.
    public var maxConnections = 16_384
    /// Output queued for one connection before it stops reading more pipelined requests.
    public var maxPendingOutputBytes = 1 << 20
    /// Responses one connection may owe (pending in the responder, or settled out of order)
    /// before the loop stops framing its further pipelined requests.
    public var maxOwedResponses: UInt32 = 64
    /// Seconds a connection may stay idle between requests (nothing buffered, nothing owed)
    /// before it is closed; 0 = never. nginx's keepalive_timeout; a request that has begun is
    /// the header and body timeouts' (`timeouts`).
    public var idleTimeoutSeconds = 60
    /// Timeouts over a request's head, the gaps in its body and a send the client does not
    /// read; see EventLoop+Timeouts.swift.
    public var timeouts = RequestTimeouts()
    /// Completions reaped per turn at most (the `--batch` knob bounds the engine side).
    public var completionBatch = 1024
    /// The engine runs operations one after another with blocking syscalls (the blocking
    /// model, worker processes): a connection is not read while it is owed a response, so
    /// the work that response awaits (a subrequest, a timer) runs instead of a blocked read,
    /// and client sockets are blocking.
    public var blockingIO = false
    public init() {}

    /// Unconsumed input one connection may hold: a whole request at the limits, plus room for
    /// a pipelined head behind it.
    var maxInputBytes: Int { limits.maxHeaderBytes + limits.maxBodyBytes * 2 + 64 * 1024 }
}
