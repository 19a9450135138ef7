// RequestLineTests: method, target forms, versions, empty lines, garbage and the 414 limit.

import Testing
@testable import HTTP1

@Suite struct RequestLineTests {
    @Test func parsesASimpleGet() throws {
        let p = try #require(request(parseWhole("GET /a/b?c=d HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")))
        #expect(p.method == "GET")
        #expect(p.target == "/a/b?c=d")
        #expect(p.versionMinor == 1)
        #expect(p.host == "example.com")
        #expect(p.headers == ["Host=example.com", "Accept=*/*"])
        #expect(p.body == "")
        #expect(p.consumed == 57)
    }

    @Test func acceptsAnyTokenAsMethod() {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PURGE", "M-SEARCH"] {
            let p = request(parseWhole("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n"))
            #expect(p?.method == method)
        }
    }

    @Test func skipsLeadingEmptyLines() {
        let p = request(parseWhole("\r\n\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(p?.method == "GET")
        #expect(p?.consumed == 5 + 27)
    }

    @Test func refusesEndlessLeadingEmptyLinesAs400() {
        let limits = HTTPLimits(maxHeaderBytes: 64, maxHeaderCount: 10, maxBodyBytes: 10)
        #expect(status(parseWhole(String(repeating: "\r\n", count: 40), limits: limits)) == 400)
    }

    @Test func refusesMalformedRequestLinesWith400() {
        for line in ["GET  / HTTP/1.1", "GET / HTTP/1.1 ", " GET / HTTP/1.1", "GET /", "GET / http/1.1",
                     "GET / HTTP/1.", "GET / HTTP/x.1", "GET / HTTP/1.1x", "GET / HTTP/1 .1", "G(T / HTTP/1.1",
                     "GET /a\u{7F}b HTTP/1.1", "GET / HTTP/1.1234", "GET\t/ HTTP/1.1",
                     // RFC 9112 2.3: one digit on each side of the dot, so these are malformed.
                     "GET / HTTP/1.10", "GET / HTTP/1.01", "GET / HTTP/01.1", "GET / HTTP/3", "GET / HTTP/2",
                     "GET / HTTP/10.1", "GET / HTTP/1"] {
            #expect(status(parseWhole(line + "\r\nHost: h\r\n\r\n")) == 400, "\(line.debugDescription)")
        }
    }

    @Test func answers505ForOtherWellFormedVersions() {
        for version in ["HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/9.9"] {
            #expect(status(parseWhole("GET / \(version)\r\nHost: h\r\n\r\n")) == 505, "\(version)")
        }
    }

    @Test func answers505AsSoonAsTheRequestLineEnds() {
        let buffer = ConnectionBuffer()
        buffer.append(Array("GET / HTTP/2.0\r\n".utf8))
        #expect(buffer.parse() == .status(505))
    }

    @Test func servesAHigherHTTP1MinorVersionAs11() {
        #expect(request(parseWhole("GET / HTTP/1.2\r\nHost: h\r\n\r\n"))?.versionMinor == 1)
        #expect(request(parseWhole("GET / HTTP/1.0\r\n\r\n"))?.versionMinor == 0)
    }

    @Test func refusesATLSClientHelloAtItsFirstByte() {
        let buffer = ConnectionBuffer()
        buffer.append([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
        #expect(buffer.parse() == .status(400))
    }

    @Test func refusesBinaryGarbageBeforeAnyLineEnds() {
        let buffer = ConnectionBuffer()
        buffer.append(Array("GET /\u{01}".utf8))
        #expect(buffer.parse() == .status(400))
        let other = ConnectionBuffer()
        other.append(Array("GET / HTTQ".utf8))
        #expect(other.parse() == .status(400))
    }

    @Test func acceptsAbsoluteFormTargets() {
        let p = request(parseWhole("GET http://example.com/x?y HTTP/1.1\r\nHost: example.com\r\n\r\n"))
        #expect(p?.target == "http://example.com/x?y")
    }

    @Test func acceptsAsteriskFormOnlyForOptions() {
        #expect(request(parseWhole("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"))?.target == "*")
        #expect(status(parseWhole("GET * HTTP/1.1\r\nHost: h\r\n\r\n")) == 400)
    }

    @Test func refusesConnectAndAuthorityFormWith400() {
        #expect(status(parseWhole("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n")) == 400)
        #expect(status(parseWhole("GET example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n")) == 400)
    }

    @Test func answers414ForARequestLineOverTheLimit() {
        let limits = HTTPLimits(maxHeaderBytes: 100, maxHeaderCount: 10, maxBodyBytes: 10)
        let long = "GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(status(parseWhole(long, limits: limits)) == 414)
        // Decided before the line ends: the client need not send the rest.
        let buffer = ConnectionBuffer(limits: limits)
        buffer.append(Array(("GET /" + String(repeating: "a", count: 100)).utf8))
        #expect(buffer.parse() == .status(414))
    }

    @Test func acceptsAHeadExactlyAtTheLimit() {
        let head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        let limits = HTTPLimits(maxHeaderBytes: head.utf8.count, maxHeaderCount: 10, maxBodyBytes: 10)
        #expect(request(parseWhole(head, limits: limits)) != nil)
        let tighter = HTTPLimits(maxHeaderBytes: head.utf8.count - 1, maxHeaderCount: 10, maxBodyBytes: 10)
        #expect(status(parseWhole(head, limits: tighter)) == 431)
    }
}
