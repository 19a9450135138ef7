// EngineDriver: builds an engine for an EngineKind and pumps it until a completion shows up.
import EngineBlocking
import EngineEpoll
import EngineURing
import IOCore
import Testing
import TestSupport

/// Small sizes on purpose, so tests hit pool limits and batching.
struct EngineSizes {
    var bufferCount = 64
    var bufferSize = 2048
}

extension EngineKind {
    func make(_ sizes: EngineSizes = EngineSizes(), uring: URingOptions? = nil) throws -> any IOEngine {
        if let reason = skipReason { try Test.cancel("skipped: \(reason)") }
        switch self {
        case .uring:
            var o = uring ?? URingOptions()
            o.ringEntries = uring?.ringEntries ?? 256
            o.bufferCount = sizes.bufferCount
            o.bufferSize = sizes.bufferSize
            return try URingEngine(options: o)
        case .epoll:
            var o = EpollOptions()
            o.bufferCount = sizes.bufferCount
            o.bufferSize = sizes.bufferSize
            return try EpollEngine(options: o)
        case .blocking:
            return BlockingEngine(bufferCount: sizes.bufferCount, bufferSize: sizes.bufferSize)
        }
    }
}

/// Runs the engine's loop on the test's thread and hands out completions one at a time.
final class EngineDriver {
    let engine: any IOEngine
    private var backlog: [Completion] = []
    private var scratch: [Completion] = []
    var ticks = 0

    init(_ engine: any IOEngine) {
        self.engine = engine
        scratch.reserveCapacity(256)
    }

    func enqueue(_ op: Operation, _ token: UInt64) {
        if !engine.enqueue(op, token: token) {
            _ = try? engine.submitAndReap(wait: false, timeoutNanos: 0, into: &backlog)
            #expect(engine.enqueue(op, token: token), "enqueue failed after flushing")
        }
    }

    /// The next completion, pumping the engine (waiting up to 100 ms per tick) as needed;
    /// nil after `maxTicks` ticks with nothing (a hang becomes a failure, not a stuck test).
    func next(maxTicks: Int = 300) -> Completion? {
        var idle = 0
        while backlog.isEmpty {
            if idle >= maxTicks { return nil }
            scratch.removeAll(keepingCapacity: true)
            ticks += 1
            do {
                _ = try engine.submitAndReap(wait: true, timeoutNanos: 100_000_000, into: &scratch)
            } catch {
                Issue.record("submitAndReap threw \(error)")
                return nil
            }
            if scratch.isEmpty { idle += 1 }
            backlog.append(contentsOf: scratch)
        }
        return backlog.removeFirst()
    }

    /// Completions until one has `token`; returns it and keeps the others for later.
    func wait(for token: UInt64, maxTicks: Int = 300) -> Completion? {
        var others: [Completion] = []
        defer { backlog.insert(contentsOf: others, at: 0) }
        while let c = next(maxTicks: maxTicks) {
            if c.token == token { return c }
            others.append(c)
        }
        return nil
    }

    func bytes(_ c: Completion) -> [UInt8] {
        Array(engine.buffer(c.bufferIndex, count: Int(c.result)))
    }
}

/// A value the client thread reports back to the test.
final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
