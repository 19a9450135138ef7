// Responder: what answers a framed request; the loop does not know whether it is JavaScript.
import HTTP1
import Isolates

/// Writes one complete response for a request. The isolate runtime is the main responder; the
/// loop calls it for every request except its own endpoints (`/__isoring/...`).
public protocol Responder: AnyObject {
    /// Writes the whole response (head and body) to `out`; returns its status code.
    func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                 into out: OutputBuffer) -> Int

    /// True when `turnEnded` has work to do (the prewarm pool is below its target).
    var hasIdleWork: Bool { get }

    /// Called at the end of a loop turn, after its sends went to the kernel: room for idle
    /// work (one prewarmed context at most), off the request path.
    func turnEnded()

    /// Called about once a second on the loop thread (memory caps, statistics).
    func tick()
}

extension Responder {
    public var hasIdleWork: Bool { false }
    public func turnEnded() {}
    public func tick() {}
}

extension IsolateRuntime: Responder {
    public var hasIdleWork: Bool { poolCount < options.prewarm }

    public func turnEnded() {
        if poolCount < options.prewarm { refillPool(budget: 1) }
    }

    public func tick() { housekeeping() }
}
