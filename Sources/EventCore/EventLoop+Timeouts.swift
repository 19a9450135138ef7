// EventLoop+Timeouts: nginx's client_header_timeout, client_body_timeout and send_timeout,
// checked once a second beside the idle keep-alive timeout.
import HTTP1
#if canImport(Glibc)
import Glibc
#endif

/// The timeouts of one request, in seconds (0 = off). nginx's defaults: 60 each.
public struct RequestTimeouts: Sendable {
    /// The whole request head, from its first byte to its empty line: a head trickled one
    /// byte at a time is closed (with 408) when it takes longer, however steady the trickle.
    public var headerSeconds = 60
    /// The longest pause between two reads of a request body (408 past it).
    public var bodySeconds = 60
    /// The longest a send may make no progress (a client that stopped reading): the
    /// connection is dropped, since no answer can reach it.
    public var sendSeconds = 60
    public init() {}
}

extension EventLoop {
    /// Called when the parser wants more bytes: a head starts its clock on its first bytes
    /// (not on every byte, as the idle timer would).
    @inline(__always)
    func noteIncompleteRequest(_ conn: Connection) {
        if conn.parser.isReadingBody {
            conn.headStartedSeconds = -1
        } else if conn.headStartedSeconds < 0 {
            conn.headStartedSeconds = turnSeconds
        }
    }

    /// Once a second, O(slots). Clocks are whole seconds read once per turn, so "more than N
    /// whole seconds apart" guarantees at least N real seconds: a timeout fires between N and
    /// N + 2 seconds. Answers 408 to a head over the header timeout or a body
    /// paused past the body timeout, and drops a connection whose send made no progress for
    /// the send timeout. shutdown(2) is what makes an in-flight send (io_uring's, epoll's
    /// wait for POLLOUT) fail at once, so the slot is freed by the ordinary completion path.
    func enforceRequestTimeouts() {
        let t = options.timeouts
        let now = turnSeconds
        for conn in slots where conn.inUse && !conn.isClosing && conn.taker == nil {
            if conn.sendInFlight {
                if t.sendSeconds > 0 && now - conn.sendProgressSeconds > Int64(t.sendSeconds) {
                    stats.sendTimeouts += 1
                    abandon(conn)
                    shutdown(conn.fd, Int32(SHUT_RDWR))
                }
                continue
            }
            guard conn.isOpen, conn.inputEnd > conn.inputStart || conn.headStartedSeconds >= 0 else { continue }
            if conn.parser.isReadingBody {
                guard t.bodySeconds > 0, now - conn.lastActivitySeconds > Int64(t.bodySeconds) else { continue }
                stats.bodyTimeouts += 1
            } else {
                guard t.headerSeconds > 0, conn.headStartedSeconds >= 0,
                      now - conn.headStartedSeconds > Int64(t.headerSeconds) else { continue }
                stats.headerTimeouts += 1
            }
            conn.parser.reset()
            refuse(conn, HTTPParseError(status: 408, reason: "request not received in time"))
            stats.parseErrors -= 1  // counted as a timeout, not as a malformed request
            markDirty(conn)
        }
    }
}
