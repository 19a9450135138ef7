// EventLoop+Drain: a graceful stop: finish what was received, close what is idle, then leave.
import Synchronization

/// Bits of `EventLoop.drainBits`.
enum DrainState {
    /// Asked to drain: every response from now on says `Connection: close`.
    static let requested = 1
    /// The loop has seen it and closed its idle connections once.
    static let begun = 2
    /// The server has shut the listener down: no connection can arrive any more.
    static let listenerClosed = 4
    /// No connection is left: the loop has left `run()` (or, in a connection thread, gone idle).
    static let finished = 8
    /// Set in the origin tag of a connection handed to a worker process by a draining front:
    /// the worker answers with `Connection: close` and keeps the connection, instead of
    /// handing it back to a front that is about to exit.
    public static let originBit: Int32 = 1 << 30
}

extension EventLoop {
    /// Asks the loop to drain (any thread): requests already received are answered (with
    /// `Connection: close`), idle keep-alive connections are closed, accepting goes on until
    /// `closeListenerForDrain()`, and `run()` returns once no connection is left.
    public func beginDrain() {
        drainBits.bitwiseOr(DrainState.requested, ordering: .releasing)
        engine.wakeup()
    }

    /// Says the listener is shut: the loop stops re-arming accept and may finish (any thread).
    public func closeListenerForDrain() {
        drainBits.bitwiseOr(DrainState.listenerClosed, ordering: .releasing)
        engine.wakeup()
    }

    public var isDraining: Bool { drainBits.load(ordering: .relaxed) & DrainState.requested != 0 }

    /// True once the loop has no connection left after a drain.
    public var hasDrained: Bool { drainBits.load(ordering: .acquiring) & DrainState.finished != 0 }

    var listenerClosedForDrain: Bool { drainBits.load(ordering: .relaxed) & DrainState.listenerClosed != 0 }

    /// Before each turn of `run()` while draining (the turn itself closes idle connections):
    /// true when `run()` should return.
    func drainTurn() -> Bool {
        let bits = drainBits.load(ordering: .acquiring)
        if bits & DrainState.begun == 0 {
            drainBits.bitwiseOr(DrainState.begun, ordering: .relaxed)
            // Responses held back only to slow a client down go out now, not at their timers.
            for hook in hooks { hook.drainBegan(on: self) }
        }
        guard bits & DrainState.listenerClosed != 0 || listener < 0, liveConnections == 0,
              inboxCount.load(ordering: .acquiring) == 0 else { return false }
        drainBits.bitwiseOr(DrainState.finished, ordering: .releasing)
        return true
    }

    /// Closes connections with nothing received and nothing owed. One that has not sent a byte
    /// yet gets a second first: its request may be on the wire right now. A keep-alive
    /// connection may race a client's next request too; RFC 9112 9.3.1 lets a client retry
    /// a request on a connection closed before any of its response arrived, as nginx's
    /// graceful stop also requires.
    /// Runs at the start of every turn while draining.
    func closeIdleForDrain() {
        var closed = false
        for conn in slots where conn.isOpen && conn.isFlushed && conn.inputEnd == conn.inputStart
            && (conn.requests > 0 || turnSeconds - conn.lastActivitySeconds > 1) {
            conn.drain()
            markDirty(conn)
            closed = true
        }
        if closed { flush() }
    }
}
