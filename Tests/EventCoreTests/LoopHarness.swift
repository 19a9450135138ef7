// LoopHarness: one EventLoop on a ScriptedEngine, a clock moved by hand, and a responder that
// answers now or keeps each request pending until the test completes it.
import EventCore
import Foundation
import HTTP1
import IOCore
import Logging
import Platform
import Responding
import TestSupport

/// A clock the test moves; the loop reads it once per turn.
final class ManualClock: @unchecked Sendable {
    var nanos: Int64 = 1_000_000_000_000
    func advance(seconds: Int64) { nanos += seconds * 1_000_000_000 }
}

/// Answers `GET /PATH` with the text "PATH" now, or (when `later`) keeps the request's handle
/// so the test decides when and in which order responses settle.
final class TestResponder: Responder {
    var later = false
    /// Requests seen, in arrival order: (target, handle if left pending).
    var seen: [(target: String, handle: ResponseHandle?)] = []

    /// Called as each request arrives (before it is answered).
    var onRequest: () -> Void = {}

    func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                 into out: OutputBuffer) -> ResponseProgress {
        onRequest()
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.target]), as: UTF8.self)
        if later {
            seen.append((target, handle))
            return .pending
        }
        seen.append((target, nil))
        return .answered(status: Self.write(target, handle, out))
    }

    /// Completes the pending request seen `index`-th; returns what the handle returned.
    @discardableResult
    func complete(_ index: Int) -> Bool {
        let (target, handle) = seen[index]
        return handle!.complete { Self.write(target, handle!, $0) }
    }

    static func write(_ target: String, _ handle: ResponseHandle, _ out: OutputBuffer) -> Int {
        HTTPResponseWriter.writeText(status: 200, target, keepAlive: handle.keepAlive, isHead: handle.isHead, into: out)
        return 200
    }
}

/// The loop under test and its kernel.
final class LoopHarness {
    let engine = ScriptedEngine()
    let clock = ManualClock()
    let responder = TestResponder()
    let loop: EventLoop
    static let listener: Int32 = 3

    init(options: LoopOptions = LoopOptions(), router: ConnectionRouter? = nil) {
        let clock = self.clock
        loop = EventLoop(engine: engine, responder: responder, options: options,
                         clock: { clock.nanos }, logger: .lines { _ in })
        loop.router = router
        loop.listen(on: Self.listener)
    }

    /// Runs turns until the loop and the engine are both quiet (nothing ready, nothing
    /// queued), at most `limit` turns.
    func settle(limit: Int = 200) throws {
        var quiet = 0
        for _ in 0..<limit {
            let before = engine.counters.completions
            try loop.turn()
            if engine.counters.completions == before && engine.queuedCount == 0 {
                quiet += 1
                if quiet == 2 { return }
            } else {
                quiet = 0
            }
        }
    }

    /// A client that connects, and whose connection the loop has accepted.
    func connect() throws -> Int32 {
        let fd = engine.connect()
        try settle()
        return fd
    }

    /// The bodies of the responses `fd` received so far, in order (responses from TestResponder
    /// and the loop's own plain-text errors).
    func bodies(_ fd: Int32) -> [String] {
        ResponseSplitter.bodies(engine.received(fd))
    }
}

/// Splits a stream of HTTP/1.1 responses with content-length framing into their bodies.
enum ResponseSplitter {
    static func bodies(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound].lowercased()
            var length = 0
            for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            let bodyStart = headEnd.upperBound
            let bodyEnd = rest.index(bodyStart, offsetBy: length, limitedBy: rest.endIndex) ?? rest.endIndex
            out.append(String(rest[bodyStart..<bodyEnd]))
            rest = rest[bodyEnd...]
        }
        return out
    }

    static func statuses(_ text: String) -> [Int] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().compactMap { Int($0.prefix(3)) }
    }
}
