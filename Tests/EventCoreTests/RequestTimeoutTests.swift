// RequestTimeoutTests: the header and body timeouts (nginx's client_header_timeout and
// client_body_timeout) and the drain, on an injected clock with the scripted engine.
import EventCore
import Testing

@Suite struct RequestTimeoutTests {
    func harness() -> LoopHarness {
        var options = LoopOptions()
        options.idleTimeoutSeconds = 0
        options.timeouts.headerSeconds = 3
        options.timeouts.bodySeconds = 3
        return LoopHarness(options: options)
    }

    /// A head trickled one byte a second keeps the connection active, but its clock runs from
    /// the first byte: past 3 s it is answered 408 and closed.
    @Test func trickledHeadIsBoundedAsAWhole() throws {
        let h = harness()
        let fd = try h.connect()
        for byte in "GET /slow HTTP/1.1\r\nHost: x\r\n" {
            h.engine.send(fd, String(byte))
            h.clock.advance(seconds: 1)
            try h.settle()
            if h.engine.isClosed(fd) { break }
        }
        #expect(h.engine.isClosed(fd))
        #expect(ResponseSplitter.statuses(h.engine.received(fd)) == [408])
        #expect(h.loop.stats.headerTimeouts == 1)
        #expect(h.loop.stats.parseErrors == 0)
    }

    /// A head that finishes in time is served; the clock starts again for the next head.
    @Test func headInTimeIsServedAndTheNextHeadGetsItsOwnClock() throws {
        let h = harness()
        let fd = try h.connect()
        h.engine.send(fd, "GET /a HTTP/1.1\r\n")
        h.clock.advance(seconds: 2)
        try h.settle()
        h.engine.send(fd, "Host: x\r\n\r\nGET /b HTTP/1.1\r\n")
        h.clock.advance(seconds: 2)
        try h.settle()
        h.engine.send(fd, "Host: x\r\n\r\n")
        try h.settle()
        #expect(h.bodies(fd) == ["/a", "/b"])
        #expect(!h.engine.isClosed(fd))
        #expect(h.loop.stats.headerTimeouts == 0)
    }

    /// A body that pauses longer than the body timeout gets 408; one that keeps coming does not.
    @Test func bodyGapPastTheLimitIs408() throws {
        let h = harness()
        let stalled = try h.connect()
        let steady = try h.connect()
        for fd in [stalled, steady] {
            h.engine.send(fd, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        }
        try h.settle()
        for _ in 0..<5 {
            h.clock.advance(seconds: 1)
            h.engine.send(steady, "c")
            try h.settle()
        }
        #expect(ResponseSplitter.statuses(h.engine.received(stalled)) == [408])
        #expect(h.engine.isClosed(stalled))
        #expect(!h.engine.isClosed(steady))
        #expect(h.loop.stats.bodyTimeouts == 1)
        h.engine.send(steady, "ccc")  // 2 + 5 + 3 = the 10 bytes announced
        try h.settle()
        #expect(h.bodies(steady) == ["/up"])
    }

    /// Draining: idle keep-alive connections are closed, a new one gets a moment for its
    /// first request, which is answered with `connection: close`, and `run` returns once no
    /// connection is left.
    @Test func drainAnswersWhatArrivesAndClosesIdleOnes() throws {
        let h = harness()
        h.responder.later = true
        let idle = try h.connect()
        h.engine.send(idle, "GET /done HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(h.responder.complete(0))
        let fresh = try h.connect()
        h.loop.beginDrain()
        h.loop.closeListenerForDrain()
        try h.settle()
        #expect(h.engine.isClosed(idle))
        #expect(!h.engine.isClosed(fresh))
        h.engine.send(fresh, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(!h.loop.hasDrained)
        #expect(h.responder.complete(1))
        try h.settle()
        try h.loop.run()  // returns at once: drained
        #expect(h.bodies(fresh) == ["/slow"])
        #expect(h.engine.received(fresh).lowercased().contains("connection: close"))
        #expect(h.engine.isClosed(fresh))
        #expect(h.loop.hasDrained)
    }
}
