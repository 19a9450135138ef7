// HandOverTests: a router gives a connection away only once earlier answers are sent and no
// receive is armed, with every byte from the handed request on; a failed hand-over is a 502.
import EventCore
import HTTP1
import Glibc
import Testing

/// Records what it takes; refuses with `failure` when set.
final class RecordingTaker: ConnectionTaker {
    var taken: [(fd: Int32, bytes: String, origin: Int32)] = []
    var failure: Int32 = 0
    func take(fd: Int32, bytes: UnsafeRawBufferPointer, origin: Int32) -> Int32 {
        if failure != 0 { return failure }
        taken.append((fd, String(decoding: bytes, as: UTF8.self), origin))
        return 0
    }
}

/// `/away...` is handed over, `/once` answered then handed over, anything else answered here.
final class PathRouter: ConnectionRouter {
    let taker = RecordingTaker()
    func route(_ request: HTTPRequest, in bytes: UnsafeRawBufferPointer) -> RouteDecision {
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.target]), as: UTF8.self)
        if target.hasPrefix("/away") { return .handOver(taker) }
        if target == "/once" { return .respondThenHandOver(taker) }
        return .respond
    }
}

@Suite struct HandOverTests {
    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n" }

    @Test func earlierAnswersGoFirstThenTheConnectionWithEveryLaterByte() throws {
        let router = PathRouter()
        let h = LoopHarness(router: router)
        let fd = try h.connect()
        h.engine.send(fd, Self.get("/here") + Self.get("/away") + Self.get("/after"))
        try h.settle()
        #expect(h.bodies(fd) == ["/here"])
        #expect(router.taker.taken.count == 1)
        #expect(router.taker.taken.first?.fd == fd)
        #expect(router.taker.taken.first?.bytes == Self.get("/away") + Self.get("/after"))
        // The loop closes its own copy; it never armed a multishot receive.
        #expect(h.engine.isClosed(fd))
        #expect(h.engine.log.contains("recvOnce \(fd)"))
        #expect(!h.engine.log.contains("recv \(fd)"))
        #expect(h.loop.stats.handedOver == 1)
        #expect(h.loop.connectionCount == 0)
    }

    @Test func aHandOverWaitsForAnOwedResponse() throws {
        let router = PathRouter()
        let h = LoopHarness(router: router)
        h.responder.later = true
        let fd = try h.connect()
        h.engine.send(fd, Self.get("/slow") + Self.get("/away"))
        try h.settle()
        #expect(router.taker.taken.isEmpty)
        h.responder.complete(0)
        try h.settle()
        #expect(h.bodies(fd) == ["/slow"])
        #expect(router.taker.taken.map(\.bytes) == [Self.get("/away")])
    }

    @Test func aFailedHandOverIsA502AndACLose() throws {
        let router = PathRouter()
        router.taker.failure = EPIPE
        let h = LoopHarness(router: router)
        let fd = try h.connect()
        h.engine.send(fd, Self.get("/away"))
        try h.settle()
        #expect(ResponseSplitter.statuses(h.engine.received(fd)) == [502])
        #expect(h.engine.isClosed(fd))
        #expect(h.loop.stats.handOverFailures == 1)
    }

    @Test func answeredThenHandedOverWithWhatFollows() throws {
        let router = PathRouter()
        let h = LoopHarness(router: router)
        let fd = try h.connect()
        h.engine.send(fd, Self.get("/once") + Self.get("/next"))
        try h.settle()
        #expect(h.bodies(fd) == ["/once"])
        #expect(router.taker.taken.map(\.bytes) == [Self.get("/next")])
    }

    @Test func anAdoptedConnectionIsServedFromTheBytesItCameWith() throws {
        let h = LoopHarness()
        let fd = h.engine.openDescriptor()
        let first = Array((Self.get("/adopted") + "GET /sec").utf8)
        first.withUnsafeBytes { h.loop.adopt(fd: fd, initialBytes: $0, origin: 2) }
        h.engine.send(fd, "ond HTTP/1.1\r\nHost: x\r\n\r\n")
        try h.settle()
        #expect(h.bodies(fd) == ["/adopted", "/second"])
    }
}
