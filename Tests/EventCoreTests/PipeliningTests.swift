// PipeliningTests: pipelined requests are answered in order however the bytes arrive (all at
// once, split at every byte, with multishot receives or one receive per completion).
import EventCore
import Testing

@Suite struct PipeliningTests {
    static let three = (1...3).map { "POST /p\($0) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok" }.joined()

    @Test(arguments: [false, true], [Int.max, 1])
    func answeredInOrder(multishot: Bool, bytesPerReceive: Int) throws {
        let h = LoopHarness()
        h.engine.multishot = multishot
        h.engine.maxRecvBytes = bytesPerReceive
        let fd = try h.connect()
        h.engine.send(fd, Self.three)
        try h.settle(limit: 2_000)
        #expect(h.bodies(fd) == ["/p1", "/p2", "/p3"])
        #expect(!h.engine.isClosed(fd))
        #expect(h.engine.buffersLent == 0)
    }

    @Test func oneTurnAnswersABatchWithOneSendPerConnection() throws {
        let h = LoopHarness()
        let a = try h.connect(), b = try h.connect()
        h.engine.send(a, Self.three)
        h.engine.send(b, Self.three)
        let enters = h.engine.counters.enterCalls
        try h.settle()
        #expect(h.bodies(a).count == 3 && h.bodies(b).count == 3)
        // Three responses per connection, one send each.
        #expect(h.engine.log.filter { $0.hasPrefix("send \(a) ") }.count == 1)
        #expect(h.engine.log.filter { $0.hasPrefix("send \(b) ") }.count == 1)
        #expect(h.engine.counters.enterCalls > enters)
    }

    @Test func sendsAreQueuedBeforeTheNextReceiveOfTheirConnection() throws {
        let h = LoopHarness()
        h.engine.multishot = false
        let fd = try h.connect()
        h.engine.send(fd, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        let ops = h.engine.log.filter { $0.hasSuffix(" \(fd)") || $0.hasPrefix("send \(fd) ") }
        let send = try #require(ops.firstIndex { $0.hasPrefix("send") })
        #expect(ops[send + 1] == "recv \(fd)")
    }
}
