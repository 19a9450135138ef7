// PenaltyHold: a boxed tenant's 503 answered late (a tarpit), so a client hammering it slows
// itself down instead of costing the loop a refusal per round trip.
import HTTP1
import Platform
import Responding

/// Refusals of penalty-boxed tenants held back on the loop's timers. Refusing at once costs
/// the loop a receive, a parse, a route and a send per request, and a closed-loop client
/// hammering a boxed tenant asks again the moment it is answered: measured at about 58,000
/// refusals a second from 4 connections, which doubled the other tenants' p99
/// (Kernel-notes/isolates.md). Held for `PenaltyBoxPolicy.holdNanos` (1 s), each connection
/// asks about once a second instead, and a held request costs one timer and one entry here.
///
/// A refusal is held for half of what is left of the box, at most `holdNanos`: the answer
/// always arrives while the box still holds (its `retry-after` is true, and a client asking
/// again at once is refused again until the box is nearly over), and requests about to see
/// the box end wait only a little. Below `minHoldNanos` it is answered at once.
///
/// Bounded: at most `PenaltyBoxPolicy.maxHeld` held per runtime (one per loop; the blocking
/// engine's threads share one). Past it the refusal is immediate and says `connection: close`,
/// and the loop closes the connection after it: a client opening more connections than the
/// cap pays a handshake per refusal. A draining loop (`drainBegan`) answers what it holds at
/// once and holds nothing new. A held request whose client went away is dropped when its
/// timer fires (the loop says the handle is stale).
final class PenaltyHold: LoopIOClient {
    struct Held {
        let handle: ResponseHandle
        /// When the tenant's box ends (monotonic nanoseconds): the answer's `retry-after`.
        let boxedUntil: Int
    }

    enum Outcome {
        /// Kept: the runtime returns pending; the refusal is written when its timer fires.
        case held
        /// Answer now (no loop to hold on, box nearly over, or draining).
        case now
        /// Answer now and close: the cap is reached.
        case nowAndClose
    }

    let holdNanos: Int
    let maxHeld: Int
    static let minHoldNanos = 1_000_000
    private var held: [UInt64: Held] = [:]
    private var nextTag: UInt64 = 0
    private var draining = false
    /// Refusals answered at once because `maxHeld` were held (their connections closed).
    private(set) var overflowTotal = 0

    init(policy: PenaltyBoxPolicy) {
        holdNanos = policy.holdNanos
        maxHeld = policy.maxHeld
    }

    /// Requests held now.
    var count: Int { held.count }

    /// Holds the refusal for `handle` (a tenant boxed until `boxedUntil`, `now` on the same
    /// monotonic clock) or says to answer at once.
    func hold(_ handle: ResponseHandle?, boxedUntil: Int, now: Int) -> Outcome {
        let wait = min(holdNanos, (boxedUntil - now) / 2)
        guard let handle, !draining, wait >= Self.minHoldNanos, let io = handle.sink.loopIO else { return .now }
        guard held.count < maxHeld else {
            overflowTotal += 1
            return .nowAndClose
        }
        nextTag &+= 1
        held[nextTag] = Held(handle: handle, boxedUntil: boxedUntil)
        io.schedule(atNanos: io.nowNanos + Int64(wait), client: self, tag: nextTag)
        return .held
    }

    func timerFired(tag: UInt64) {
        guard let entry = held.removeValue(forKey: tag) else { return }  // answered by a drain
        answer(entry, close: false)
    }

    func ioCompleted(tag: UInt64, result: Int32, bytes: UnsafeRawBufferPointer) {}

    /// A drain began on `sink`: its held refusals go out now with `connection: close`; nothing
    /// is held from now on (other loops of a shared runtime release theirs when they drain).
    func release(on sink: ResponseSink) {
        draining = true
        for (tag, entry) in held where entry.handle.sink === sink {
            held[tag] = nil
            answer(entry, close: true)
        }
    }

    private func answer(_ entry: Held, close: Bool) {
        let left = entry.boxedUntil - Int(monotonicNanos())
        let keepAlive = entry.handle.keepAlive && !close
        entry.handle.complete { out in
            Self.writeRefusal(retryAfterNanos: left, keepAlive: keepAlive, isHead: entry.handle.isHead, into: out)
        }
        if !keepAlive { entry.handle.sink.endConnection(after: entry.handle) }
    }

    /// The box's 503: `retry-after` in whole seconds, rounded up (0 once the box is over).
    /// Returns the status.
    @discardableResult
    static func writeRefusal(retryAfterNanos: Int, keepAlive: Bool, isHead: Bool, into out: OutputBuffer) -> Int {
        let seconds = (max(0, retryAfterNanos) + 999_999_999) / 1_000_000_000
        let text = "tenant refused for repeatedly exceeding its CPU time limit\n"
        let head = "content-type: text/plain; charset=utf-8\r\nretry-after: \(seconds)\r\n"
        var headBytes = Array(head.utf8)
        headBytes.withUnsafeMutableBytes { block in
            HTTPResponseWriter.writeHead(status: 503, headerBlock: UnsafeRawBufferPointer(block),
                                         contentLength: text.utf8.count, keepAlive: keepAlive, into: out)
        }
        if !isHead { out.append(text) }
        return 503
    }
}
