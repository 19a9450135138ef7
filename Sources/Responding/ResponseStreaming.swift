// ResponseStreaming: a response whose body is sent as it is produced (a JavaScript ReadableStream,
// a subrequest's body passed through): head first, then chunks, with back-pressure from the socket.
import HTTP1

/// How a streamed body is framed on the wire, decided by the request and the status.
public enum StreamFraming: Equatable, Sendable {
    /// `transfer-encoding: chunked` (an HTTP/1.1 client): each write is one chunk, `finish`
    /// sends the last chunk and the connection may carry the next request.
    case chunked
    /// An HTTP/1.0 client: the body as it is, ended by closing the connection.
    case untilClose
    /// HEAD, 1xx, 204, 304: the head only; writes are dropped.
    case none
}

/// What `ResponseSink.write` did with a piece of a streamed body.
public enum StreamWrite: Equatable, Sendable {
    /// Queued; the connection's unsent output is below the high-water mark: write more.
    case accepted
    /// Queued, but the unsent output is at or above the high-water mark: stop producing and
    /// ask `notifyWhenDrained` to be told when to go on (back-pressure from the socket).
    case full
    /// Not queued: the client is gone or the response ended. Stop producing.
    case gone
}

/// Told when a streamed response may go on (see `ResponseSink.notifyWhenDrained`).
public protocol ResponseDrainClient: AnyObject {
    func outputDrained(_ handle: ResponseHandle)
}

/// Unsent output one connection may hold before a streamed body stops being pulled: 256 KiB,
/// four 64 KiB chunks, enough for one send to keep a loopback or LAN socket busy while the
/// producer runs, small enough that a thousand slow clients cost 256 MB at most.
public let streamHighWaterBytes = 256 * 1024

extension ResponseHandle {
    /// The framing of a streamed response with `status` to this request.
    public func streamFraming(status: Int) -> StreamFraming {
        if isHead || HTTPResponseWriter.forbidsContent(status) { return .none }
        return acceptsChunked ? .chunked : .untilClose
    }

    /// Begins a streamed response: `writeHead` puts its head into the buffer it is given
    /// (`HTTPResponseWriter.writeStreamHead` with `streamFraming(status:)`). Call on the
    /// loop's thread, once, instead of `complete`.
    @discardableResult
    public func begin(status: Int, _ writeHead: (OutputBuffer) -> Void) -> Bool {
        sink.begin(self, status: status, writeHead)
    }

    /// Appends a piece of the body; see `StreamWrite` for what to do next.
    public func write(_ bytes: UnsafeRawBufferPointer) -> StreamWrite { sink.write(self, bytes) }

    /// Ends the body (the last chunk).
    public func finish() { sink.finish(self) }

    /// Ends the connection without the last chunk (the producer failed mid-body).
    public func abort() { sink.abort(self) }

    /// Asks to be told when the connection's output has drained (see ResponseSink).
    @discardableResult
    public func notifyWhenDrained(_ client: ResponseDrainClient) -> Bool { sink.notifyWhenDrained(self, client) }
}
