// ConnectionRouter: lets a loop give a connection away (process model) instead of answering it.
import HTTP1

/// Takes over a connection: its descriptor plus every byte already read from it that was not
/// consumed (from the start of the request being handed over). The process model's tenant
/// handles (front -> worker) and the workers' way back to the front implement it.
public protocol ConnectionTaker: AnyObject {
    /// Returns 0 once the connection is on its way (the loop then closes its own copy of `fd`,
    /// never with shutdown(2), which would kill the other process's copy too), or an errno:
    /// the loop still owns `fd` and answers 502. `origin` is the tag the connection arrived
    /// with (`EventLoop.adopt(fd:initialBytes:origin:)`), echoed so it can come back to the
    /// loop that first accepted it.
    func take(fd: Int32, bytes: UnsafeRawBufferPointer, origin: Int32) -> Int32
}

/// What a loop does with a framed request.
public enum RouteDecision {
    /// Answer it here with the loop's responder.
    case respond
    /// Give the connection, with this request's bytes and everything after them, away.
    case handOver(ConnectionTaker)
    /// Answer it here, then give the connection (with any further bytes read) away once the
    /// response is sent: a cgi worker answers its one request and hands the connection back.
    case respondThenHandOver(ConnectionTaker)
}

/// Decides per request whether a loop answers or hands the connection over. A loop with a
/// router receives with `Operation.recvOnce`, so no receive is ever armed at the moment it
/// hands a connection over and no byte of the next request can be swallowed by this process.
public protocol ConnectionRouter: AnyObject {
    func route(_ request: HTTPRequest, in bytes: UnsafeRawBufferPointer) -> RouteDecision
}
