// KeepAliveTests: a connection serves request after request until the client says close, sends
// end of input, or resets; every receive buffer goes back to the engine.
import EventCore
import IOCore
import Glibc
import Testing

@Suite struct KeepAliveTests {
    static let get = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test func requestAfterRequestOnOneConnection() throws {
        let h = LoopHarness()
        let fd = try h.connect()
        for i in 0..<3 {
            h.engine.send(fd, "GET /\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
            try h.settle()
            #expect(h.bodies(fd).count == i + 1)
        }
        #expect(h.bodies(fd) == ["/0", "/1", "/2"])
        #expect(!h.engine.isClosed(fd))
        #expect(h.engine.isReceiving(fd))
        #expect(h.loop.connectionCount == 1)
        #expect(h.engine.buffersLent == 0)
    }

    @Test func connectionCloseIsAnsweredThenClosed() throws {
        let h = LoopHarness()
        let fd = try h.connect()
        h.engine.send(fd, "GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(h.bodies(fd) == ["/bye"])
        #expect(h.engine.received(fd).lowercased().contains("connection: close"))
        #expect(h.engine.isClosed(fd))
        #expect(h.loop.connectionCount == 0)
        #expect(h.responder.seen.count == 1)
    }

    @Test func http10WithoutKeepAliveIsClosed() throws {
        let h = LoopHarness()
        let fd = try h.connect()
        h.engine.send(fd, "GET /old HTTP/1.0\r\n\r\n")
        try h.settle()
        #expect(h.bodies(fd) == ["/old"])
        #expect(h.engine.isClosed(fd))
    }

    @Test func endOfInputAfterARequestStillGetsTheAnswer() throws {
        let h = LoopHarness()
        let fd = try h.connect()
        h.engine.send(fd, Self.get)
        h.engine.finishSending(fd)
        try h.settle()
        #expect(h.bodies(fd) == ["/a"])
        #expect(h.engine.isClosed(fd))
        #expect(h.loop.connectionCount == 0)
    }

    @Test func peerResetClosesAndFreesTheSlot() throws {
        let h = LoopHarness()
        let fd = try h.connect()
        h.engine.send(fd, Self.get)
        try h.settle()
        h.engine.reset(fd)
        try h.settle()
        #expect(h.engine.isClosed(fd))
        #expect(h.loop.connectionCount == 0)
        #expect(h.engine.buffersLent == 0)
        // The slot serves the next client.
        let next = try h.connect()
        h.engine.send(next, Self.get)
        try h.settle()
        #expect(h.bodies(next) == ["/a"])
    }

    @Test func aMalformedRequestGetsItsStatusAfterEarlierAnswers() throws {
        let h = LoopHarness()
        let fd = try h.connect()
        h.engine.send(fd, Self.get + "BROKEN\r\n\r\n")
        try h.settle()
        #expect(ResponseSplitter.statuses(h.engine.received(fd)) == [200, 400])
        #expect(h.engine.isClosed(fd))
        #expect(h.loop.stats.parseErrors == 1)
    }

    @Test func aCompletionForAnEarlierGenerationIsCountedAndIgnored() throws {
        let h = LoopHarness()
        let first = try h.connect()
        let oldToken = try #require(h.engine.token(ofLast: "recv \(first)"))
        h.engine.reset(first)
        try h.settle()
        let next = try h.connect()  // same slot, next generation
        h.engine.inject(Completion(token: oldToken, result: -ECONNRESET))
        h.engine.send(next, Self.get)
        try h.settle()
        #expect(h.loop.stats.staleCompletions == 1)
        #expect(h.bodies(next) == ["/a"])
        #expect(!h.engine.isClosed(next))
    }
}
