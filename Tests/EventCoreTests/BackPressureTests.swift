// BackPressureTests: short sends, output limits, buffer exhaustion and a full submission queue
// slow the loop down but never lose or reorder a byte.
import EventCore
import Testing

@Suite struct BackPressureTests {
    static func pipeline(_ n: Int) -> String {
        (0..<n).map { "GET /r\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
    }

    @Test func shortSendsDeliverEveryByteInOrder() throws {
        let h = LoopHarness()
        h.engine.maxSendBytes = 7
        let fd = try h.connect()
        h.engine.send(fd, Self.pipeline(4))
        try h.settle(limit: 2_000)
        #expect(h.bodies(fd) == ["/r0", "/r1", "/r2", "/r3"])
        #expect(h.engine.log.filter { $0.hasPrefix("send") }.count > 4)
    }

    @Test func framingWaitsWhileTooMuchOutputIsQueued() throws {
        var options = LoopOptions()
        options.maxPendingOutputBytes = 1
        let h = LoopHarness(options: options)
        h.engine.maxSendBytes = 10
        let fd = try h.connect()
        // Each request is framed only once every earlier response has left.
        var sentBefore: [Int] = []
        // Unowned: the harness holds the responder (a strong capture is a cycle LeakSanitizer reports).
        h.responder.onRequest = { [unowned h] in sentBefore.append(h.bodies(fd).count) }
        h.engine.send(fd, Self.pipeline(3))
        try h.settle(limit: 2_000)
        #expect(sentBefore == [0, 1, 2])
        #expect(h.bodies(fd) == ["/r0", "/r1", "/r2"])
    }

    @Test func framingWaitsWhileTooManyResponsesAreOwed() throws {
        var options = LoopOptions()
        options.maxOwedResponses = 2
        let h = LoopHarness(options: options)
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, Self.pipeline(5))
        try h.settle()
        #expect(h.responder.seen.count == 2)
        h.responder.complete(0)
        try h.settle()
        #expect(h.responder.seen.count == 3)
        h.responder.complete(1)
        h.responder.complete(2)
        try h.settle()
        #expect(h.responder.seen.count == 5)
        h.responder.complete(3)
        h.responder.complete(4)
        try h.settle()
        #expect(h.bodies(fd) == ["/r0", "/r1", "/r2", "/r3", "/r4"])
    }

    @Test func receivesThatFindNoBufferAreRearmed() throws {
        let h = LoopHarness()
        h.engine.failReceivesWithENOBUFS = 3
        let fd = try h.connect()
        h.engine.send(fd, Self.pipeline(1))
        try h.settle()
        #expect(h.bodies(fd) == ["/r0"])
        #expect(h.engine.counters.bufferExhaustions == 3)
        #expect(!h.engine.isClosed(fd))
    }

    @Test func aFullSubmissionQueueIsFlushedMidTurnAndNothingIsLost() throws {
        let h = LoopHarness()
        h.engine.queueCapacity = 1
        let fds = try (0..<4).map { _ in try h.connect() }
        for fd in fds { h.engine.send(fd, Self.pipeline(2)) }
        try h.settle(limit: 2_000)
        for fd in fds { #expect(h.bodies(fd) == ["/r0", "/r1"]) }
        #expect(h.engine.refusedEnqueues > 0)
        #expect(h.engine.buffersLent == 0)
    }
}
