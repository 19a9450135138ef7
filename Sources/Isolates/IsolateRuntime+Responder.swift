// IsolateRuntime+Responder: the isolate runtime as the event loop's responder and loop hook.
import HTTP1
import Responding

/// A handler that settles within the dispatch call is answered at once; one that awaits a
/// timer or a subrequest returns `.pending` and answers through the handle (Isolate+Async).
extension IsolateRuntime: Responder {
    public func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                        into out: OutputBuffer) -> ResponseProgress {
        currentResponse = handle
        let status = respond(to: request, in: bytes, keepAlive: handle.keepAlive, into: out)
        currentResponse = nil
        return status == Isolate.pendingStatus ? .pending : .answered(status: status)
    }
}

/// Prewarm-pool refill after a turn's sends, and heap housekeeping once a second.
extension IsolateRuntime: LoopHook {
    /// True while the pool is short (or a context is half made) and its last refill did not
    /// fail (a failure, such as the mapping budget's refusal, waits for the next `tick`: the
    /// loop must not spin on it).
    public var wantsTurnEnd: Bool { (poolCount < options.prewarm || isPreparing) && !poolRefillPaused }

    public func turnEnded() {
        if wantsTurnEnd { refillStep() }
    }

    public func tick() { housekeeping() }

    /// Boxed tenants' held refusals are answered at once: a drain must not wait on them.
    public func drainBegan(on sink: ResponseSink) { hold.release(on: sink) }
}
