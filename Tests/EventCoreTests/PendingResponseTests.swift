// PendingResponseTests: responses that settle later, and out of order, still leave in request
// order; a late response for a connection that is gone is dropped and counted.
import EventCore
import Testing

@Suite struct PendingResponseTests {
    @Test func lateResponsesOutOfOrderLeaveInRequestOrderUnderPipelining() throws {
        let h = LoopHarness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(h.responder.seen.map(\.target) == ["/a", "/b", "/c"])
        #expect(h.engine.received(fd).isEmpty)

        // The third settles first: it is held, nothing goes out.
        #expect(h.responder.complete(2))
        try h.settle()
        #expect(h.engine.received(fd).isEmpty)
        // The first settles: it goes out; the third still waits for the second.
        #expect(h.responder.complete(0))
        try h.settle()
        #expect(h.bodies(fd) == ["/a"])
        // The second settles: it and the held third follow, in order.
        #expect(h.responder.complete(1))
        try h.settle()
        #expect(h.bodies(fd) == ["/a", "/b", "/c"])
        #expect(!h.engine.isClosed(fd))
        #expect(h.loop.stats.requests == 3)
        #expect(h.loop.stats.responses2xx == 3)
    }

    @Test func anAnswerGivenAtOnceWaitsBehindAnEarlierPendingOne() throws {
        let h = LoopHarness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        h.responder.later = false
        h.engine.send(fd, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(h.engine.received(fd).isEmpty)
        h.responder.complete(0)
        try h.settle()
        #expect(h.bodies(fd) == ["/slow", "/fast"])
    }

    @Test func aHandleCompletesOnce() throws {
        let h = LoopHarness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(h.responder.complete(1))
        #expect(!h.responder.complete(1))
        #expect(h.responder.complete(0))
        #expect(!h.responder.complete(0))
        try h.settle()
        #expect(h.bodies(fd) == ["/a", "/b"])
        #expect(h.loop.stats.staleResponses == 2)
    }

    @Test func aLateResponseForAResetConnectionIsDroppedAndTheSlotServesTheNextClient() throws {
        let h = LoopHarness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /gone HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        h.engine.reset(fd)
        try h.settle()
        #expect(h.engine.isClosed(fd))
        #expect(h.loop.connectionCount == 0)

        // The next client gets the same slot (a new generation).
        h.responder.later = false
        let next = try h.connect()
        h.engine.send(next, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(!h.responder.complete(0))
        try h.settle()
        #expect(h.bodies(next) == ["/next"])
        #expect(h.loop.stats.staleResponses == 1)
    }

    @Test func connectionCloseWaitsForItsPendingResponse() throws {
        let h = LoopHarness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        try h.settle()
        #expect(!h.engine.isClosed(fd))
        h.responder.complete(0)
        try h.settle()
        #expect(h.bodies(fd) == ["/last"])
        #expect(h.engine.isClosed(fd))
    }

    @Test func aLateResponseSettledBetweenTurnsGoesOutWithTheNextSubmission() throws {
        let h = LoopHarness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        h.responder.complete(0)
        let before = h.engine.counters.enterCalls
        try h.loop.turn()
        #expect(h.engine.counters.enterCalls == before + 1)
        #expect(h.bodies(fd) == ["/a"])
    }
}
