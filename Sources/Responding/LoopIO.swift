// LoopIO: the I/O a responder may ask of its event loop (timers, client sockets): the loop turns
// each call into engine operations queued in the current turn and routes completions back.

/// What a responder's own I/O completes into. The loop calls it on its thread, from the turn
/// that reaped the completion, never from inside another `LoopIOClient` call.
public protocol LoopIOClient: AnyObject {
    /// The operation submitted with `tag` finished with `result` (bytes, 0, or -errno). For a
    /// receive, `bytes` holds the `result` bytes received, valid only during the call.
    func ioCompleted(tag: UInt64, result: Int32, bytes: UnsafeRawBufferPointer)

    /// The timer scheduled with `tag` is due (or overdue: the loop fires every due timer once
    /// per turn, in deadline order).
    func timerFired(tag: UInt64)
}

/// The event loop's I/O, offered to responders so that the work a handler awaits (a timer, a
/// subrequest's connect, send and receive) becomes operations of the same engine as the
/// server's own sockets: in io_uring mode they ride in the same io_uring_enter, and the engine
/// counts every syscall. A responder never touches the engine or calls the kernel on a socket
/// itself (creating the socket excepted). Call on the loop's thread only.
///
/// Buffers: `send`'s bytes belong to the operation until its completion (keep them alive and
/// unchanged); a receive's bytes are lent for the duration of `ioCompleted` only.
public protocol LoopIO: AnyObject {
    /// The loop's clock (CLOCK_MONOTONIC nanoseconds; tests inject their own).
    var nowNanos: Int64 { get }

    /// Fires `client.timerFired(tag:)` once at or after `deadlineNanos` on `nowNanos`'s clock.
    /// The loop keeps one engine timeout armed for all of its timers (the earliest), not one
    /// per call. There is no cancel: a client ignores tags it no longer wants.
    func schedule(atNanos deadlineNanos: Int64, client: LoopIOClient, tag: UInt64)

    /// A new IPv4 TCP socket suited to the loop's engine (non-blocking for completion and
    /// readiness engines, blocking for the blocking engine), close-on-exec; -errno on failure.
    func openSocket() -> Int32

    /// Connects `fd` to `address` (sockaddr_in bytes, kept alive until the completion).
    func connect(fd: Int32, address: UnsafeRawBufferPointer, client: LoopIOClient, tag: UInt64)

    /// Sends `bytes` on `fd`; the result may be short (the client sends the rest).
    func send(fd: Int32, bytes: UnsafeRawBufferPointer, client: LoopIOClient, tag: UInt64)

    /// Receives once on `fd` into an engine buffer; result 0 is the peer's end of input.
    func receive(fd: Int32, client: LoopIOClient, tag: UInt64)

    /// Cancels what is pending on `fd` and closes it; pending operations complete first.
    func close(fd: Int32, client: LoopIOClient, tag: UInt64)
}

/// A responder shared by several loops' threads (the blocking model's connection threads)
/// serialises its own work; the loop runs `LoopIOClient` calls inside `serialised` so that a
/// completion reaches the responder's state under the same lock as its requests.
public protocol SerialisedResponder: AnyObject {
    func serialised(_ body: () -> Void)
}
