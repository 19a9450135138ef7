// Responder: what answers a framed request; the loop does not know whether it is JavaScript.
import HTTP1
import Isolates

/// Writes one complete response for a request. The isolate runtime is the main responder; the
/// loop calls it for every request except its own endpoints (`/__isoring/...`).
public protocol Responder: AnyObject {
    /// Writes the whole response (head and body) to `out`; returns its status code.
    func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                 into out: OutputBuffer) -> Int
}

extension IsolateRuntime: Responder {}
