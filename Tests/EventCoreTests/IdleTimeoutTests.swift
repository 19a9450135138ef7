// IdleTimeoutTests: the idle timeout on an injected clock: silent connections are closed
// (a half-sent head is the header timeout's: 408), talking ones and ones still owed an answer
// are not.
import EventCore
import Testing

@Suite struct IdleTimeoutTests {
    func harness() -> LoopHarness {
        var options = LoopOptions()
        options.idleTimeoutSeconds = 5
        options.timeouts.headerSeconds = 5
        return LoopHarness(options: options)
    }

    @Test func silentAndHalfSentConnectionsAreClosedTalkingOnesAreNot() throws {
        let h = harness()
        let silent = try h.connect()
        let halfway = try h.connect()
        let talking = try h.connect()
        h.engine.send(halfway, "GET /never HTTP/1.1\r\nHost: x\r\n")
        try h.settle()
        for _ in 0..<6 {
            h.clock.advance(seconds: 1)
            h.engine.send(talking, "GET /t HTTP/1.1\r\nHost: x\r\n\r\n")
            try h.settle()
        }
        #expect(h.engine.isClosed(silent))
        #expect(h.engine.isClosed(halfway))
        #expect(!h.engine.isClosed(talking))
        #expect(h.bodies(talking).count == 6)
        #expect(ResponseSplitter.statuses(h.engine.received(halfway)) == [408])
        #expect(h.loop.stats.idleTimeouts == 1)
        #expect(h.loop.stats.headerTimeouts == 1)
    }

    @Test func notBeforeItsTime() throws {
        let h = harness()
        let fd = try h.connect()
        h.clock.advance(seconds: 4)
        try h.settle()
        #expect(!h.engine.isClosed(fd))
        h.clock.advance(seconds: 1)
        try h.settle()
        #expect(h.engine.isClosed(fd))
    }

    @Test func aConnectionOwedAnAnswerIsNotIdle() throws {
        let h = harness()
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        h.clock.advance(seconds: 30)
        try h.settle()
        #expect(!h.engine.isClosed(fd))
        h.responder.complete(0)
        try h.settle()
        #expect(h.bodies(fd) == ["/slow"])
    }
}
