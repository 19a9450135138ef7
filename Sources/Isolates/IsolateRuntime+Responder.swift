// IsolateRuntime+Responder: the isolate runtime as the event loop's responder and loop hook.
import HTTP1
import Responding

/// Handlers settle within the dispatch call today (see IsolateRuntime's settling notes), so
/// every request is answered at once; a handler that awaits real I/O will return `.pending` and
/// answer through the handle.
extension IsolateRuntime: Responder {
    public func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                        into out: OutputBuffer) -> ResponseProgress {
        .answered(status: respond(to: request, in: bytes, keepAlive: handle.keepAlive, into: out))
    }
}

/// Prewarm-pool refill after a turn's sends, and heap housekeeping once a second.
extension IsolateRuntime: LoopHook {
    public var wantsTurnEnd: Bool { poolCount < options.prewarm }

    public func turnEnded() {
        if poolCount < options.prewarm { refillPool(budget: 1) }
    }

    public func tick() { housekeeping() }
}
