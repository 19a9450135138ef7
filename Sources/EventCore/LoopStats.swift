// LoopStats: what one event loop counts about the requests it answered.

/// Request counters of one loop, owned by the loop's thread. Reports and the metrics endpoint
/// read them (racy snapshots of monotonic counters are fine for that).
public struct LoopStats: Sendable {
    public var requests: UInt64 = 0
    public var responses2xx: UInt64 = 0
    public var responses3xx: UInt64 = 0
    public var responses4xx: UInt64 = 0
    public var responses5xx: UInt64 = 0
    public var connectionsAccepted: UInt64 = 0
    public var connectionsRefused: UInt64 = 0
    public var parseErrors: UInt64 = 0
    /// Connections closed by the idle timeout.
    public var idleTimeouts: UInt64 = 0
    /// Connections closed with 408 because a request head took longer than the header
    /// timeout, or a body paused longer than the body timeout; and connections dropped because
    /// the client read nothing of a response for the send timeout.
    public var headerTimeouts: UInt64 = 0
    public var bodyTimeouts: UInt64 = 0
    public var sendTimeouts: UInt64 = 0
    /// Connections given to another process (process model); each also counts as a request.
    public var handedOver: UInt64 = 0
    /// Hand-overs that failed (dead worker, spawn failure): answered 502 here.
    public var handOverFailures: UInt64 = 0
    /// Engine completions that named a connection slot's earlier generation (ignored; an
    /// engine that honours its contract never produces one).
    public var staleCompletions: UInt64 = 0
    /// Late responses dropped because their connection was gone (reset, closed, slot reused)
    /// or their handle was completed twice.
    public var staleResponses: UInt64 = 0
    /// Nanoseconds spent producing responses (routing + JavaScript), summed.
    public var serviceNanos: UInt64 = 0
    /// Operations responders submitted through LoopIO (a subrequest's connect, sends,
    /// receives, close), and their timers that fired.
    public var clientOperations: UInt64 = 0
    public var timersFired: UInt64 = 0
    /// Streamed responses begun, body pieces written to them, writes that found the unsent
    /// output at the high-water mark (the producer stopped until it drained), and streams
    /// aborted mid-body (EventLoop+Streams.swift).
    public var streamedResponses: UInt64 = 0
    public var streamWrites: UInt64 = 0
    public var streamPauses: UInt64 = 0
    public var streamAborts: UInt64 = 0
    public init() {}

    mutating func count(status: Int) {
        requests += 1
        switch status {
        case 200..<300: responses2xx += 1
        case 300..<400: responses3xx += 1
        case 400..<500: responses4xx += 1
        default: responses5xx += 1
        }
    }

    public static func + (a: LoopStats, b: LoopStats) -> LoopStats {
        var r = a
        r.requests += b.requests
        r.responses2xx += b.responses2xx
        r.responses3xx += b.responses3xx
        r.responses4xx += b.responses4xx
        r.responses5xx += b.responses5xx
        r.connectionsAccepted += b.connectionsAccepted
        r.connectionsRefused += b.connectionsRefused
        r.parseErrors += b.parseErrors
        r.idleTimeouts += b.idleTimeouts
        r.headerTimeouts += b.headerTimeouts
        r.bodyTimeouts += b.bodyTimeouts
        r.sendTimeouts += b.sendTimeouts
        r.handedOver += b.handedOver
        r.handOverFailures += b.handOverFailures
        r.staleCompletions += b.staleCompletions
        r.staleResponses += b.staleResponses
        r.serviceNanos += b.serviceNanos
        r.clientOperations += b.clientOperations
        r.timersFired += b.timersFired
        r.streamedResponses += b.streamedResponses
        r.streamWrites += b.streamWrites
        r.streamPauses += b.streamPauses
        r.streamAborts += b.streamAborts
        return r
    }
}
