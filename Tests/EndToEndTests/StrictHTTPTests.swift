// StrictHTTPTests: hostile and ambiguous request shapes sent as raw bytes to a real server, in
// all nine combinations of engine and isolation model: each gets its status, exactly one
// response, and the server goes on serving the next connection.
import Foundation
import Testing

extension Mode {
    /// Every engine with every isolation model.
    static let nine: [Mode] = IO.allCases.flatMap { io in Isolation.allCases.map { Mode(io: io, isolation: $0) } }
}

extension Connection {
    /// Bytes that arrive within `milliseconds` (0 when the peer sends nothing more). Used only to
    /// assert that nothing follows a response, where no event could be awaited instead.
    func bytesArriving(within milliseconds: Int32) -> Int {
        var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, milliseconds) > 0 else { return 0 }
        var chunk = [UInt8](repeating: 0, count: 4096)
        return max(0, chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) })
    }
}

/// One hostile shape: the raw bytes and the status the RFC asks for.
struct Shape: Sendable {
    var name: String
    var raw: String
    var status: Int
}

let refusedShapes: [Shape] = [
    Shape(name: "Host with a path", raw: "GET /echo/ HTTP/1.1\r\nHost: a/evil\r\n\r\n", status: 400),
    Shape(name: "Host with a space", raw: "GET /echo/ HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400),
    Shape(name: "Host with userinfo", raw: "GET /echo/ HTTP/1.1\r\nHost: user@a\r\n\r\n", status: 400),
    Shape(name: "Host list", raw: "GET /echo/ HTTP/1.1\r\nHost: a, b\r\n\r\n", status: 400),
    Shape(name: "repeated Host", raw: "GET /echo/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
    Shape(name: "missing Host in 1.1", raw: "GET /echo/ HTTP/1.1\r\n\r\n", status: 400),
    Shape(name: "userinfo in absolute form", raw: "GET http://u@echo.localhost/ HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    Shape(name: "empty authority", raw: "GET http:///echo/ HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    Shape(name: "chunked not last", raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", status: 400),
    Shape(name: "chunked then gzip on two lines",
          raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n", status: 400),
    Shape(name: "gzip alone", raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc", status: 400),
    Shape(name: "bare LF after chunk size", raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", status: 400),
    Shape(name: "bare LF after chunk data", raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", status: 400),
    Shape(name: "stray text in chunk line", raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3 junk\r\nabc\r\n0\r\n\r\n", status: 400),
    Shape(name: "bad chunk extension", raw: "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;a b\r\nabc\r\n0\r\n\r\n", status: 400),
    Shape(name: "HTTP/1.10", raw: "GET /echo/ HTTP/1.10\r\nHost: x\r\n\r\n", status: 400),
    Shape(name: "HTTP/2.0", raw: "GET /echo/ HTTP/2.0\r\nHost: x\r\n\r\n", status: 505),
    Shape(name: "HTTP/0.9", raw: "GET /echo/ HTTP/0.9\r\nHost: x\r\n\r\n", status: 505),
    Shape(name: "10,000-byte method", raw: String(repeating: "A", count: 10_000) + " /echo/ HTTP/1.1\r\nHost: x\r\n\r\n", status: 501),
]

@Suite("strict HTTP/1.1, every engine and isolation model")
struct StrictHTTPTests {
    @Test(arguments: Mode.nine)
    func hostileShapesGetTheirStatusOneResponseAndTheServerGoesOn(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        for shape in refusedShapes {
            let c = try Connection(port: server.port)
            c.send(shape.raw)
            let r = try c.readResponse()
            #expect(r.status == shape.status, "\(shape.name): got \(r.status)")
            #expect(r.header("connection") == "close", "\(shape.name)")
            // Exactly one response: the next thing on the connection is its end.
            #expect(c.isClosedByPeer(), "\(shape.name): more than one response, or left open")
            #expect(try request(server.port, "GET", "/sw/").status == 200, "after \(shape.name)")
        }
    }

    /// ab -k sends HTTP/1.0 with `Connection: keep-alive` and waits for the response to say
    /// keep-alive; without it, it waits for a close that never comes.
    @Test(arguments: Mode.nine)
    func http10KeepAliveIsAnnouncedAndKept(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        for path in ["/hello/", "/sw/", "/hello/"] {
            c.send("GET \(path) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 200)
            #expect(r.header("connection")?.lowercased() == "keep-alive")
            #expect(c.bytesArriving(within: 50) == 0, "one response per request")
        }
        let plain = try Connection(port: server.port)
        plain.send("GET /hello/ HTTP/1.0\r\n\r\n")
        #expect(try plain.readResponse().header("connection") == "close")
        #expect(plain.isClosedByPeer())
    }

    /// RFC 9110 8.6, 15.3.5, 15.4.5: 204 and 304 end at their head; 205 is "Reset Content".
    @Test(arguments: Mode.nine)
    func bodilessStatusesCarryNoLengthAndNoBody(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        for status in [204, 304] {
            c.send("GET /status/?s=\(status) HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == status)
            #expect(r.header("content-length") == nil, "\(status)")
            #expect(r.body.isEmpty)
        }
        c.send("GET /status/?s=205 HTTP/1.1\r\nHost: x\r\n\r\n")
        let reset = try c.readResponse()
        #expect(reset.status == 205)
        #expect(reset.reason == "Reset Content")
        #expect(reset.body.isEmpty)
        // The connection is still in step: nothing stray was left between the responses.
        c.send("GET /status/?s=200&body=ok HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().text == "ok")
    }

    /// RFC 9112 3.2.2: an absolute-form target's authority routes the request and is the URL
    /// the tenant sees; the Host field does not get a say.
    @Test(arguments: Mode.nine)
    func absoluteFormTargetWinsOverHost(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        c.send("GET http://echo.localhost:9/p?q=1 HTTP/1.1\r\nHost: sw.localhost\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.json?["url"] as? String == "http://echo.localhost:9/p?q=1")
        c.send("GET http://sw.localhost/ HTTP/1.1\r\nHost: echo.localhost\r\n\r\n")
        #expect(try c.readResponse().text == "hello from the service-worker form\n")
        // An origin-form target: the URL is built from the (valid) Host.
        let byHost = try request(server.port, "GET", "/x?y", host: "echo.localhost:81")
        #expect(byHost.json?["url"] as? String == "http://echo.localhost:81/x?y")
    }
}
