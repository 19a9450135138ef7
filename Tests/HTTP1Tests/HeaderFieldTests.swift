// HeaderFieldTests: field syntax, trimming, line endings, Host rules and the 431 limits.

import Testing
@testable import HTTP1

@Suite struct HeaderFieldTests {
    @Test func trimsWhitespaceAroundValuesButKeepsInnerWhitespace() {
        let p = request(parseWhole("GET / HTTP/1.1\r\nHost:h\r\nX-A: \t a \t b \t\r\nX-Empty:\r\nX-Sp:   \r\n\r\n"))
        #expect(p?.headers == ["Host=h", "X-A=a \t b", "X-Empty=", "X-Sp="])
    }

    @Test func acceptsBareLFLineEndings() {
        let p = request(parseWhole("GET / HTTP/1.1\nHost: h\nX: y\n\n"))
        #expect(p?.headers == ["Host=h", "X=y"])
        #expect(p?.consumed == 29)
    }

    @Test func acceptsObsTextInValues() {
        let p = request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nX: caf\u{E9}\r\n\r\n"))
        #expect(p?.headers.last == "X=caf\u{E9}")
    }

    @Test func refusesBareCRAnywhereInTheHeadWith400() {
        for head in ["GET / HTTP/1.1\rHost: h\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n",
                     "GET / HTTP/1.1\r\nHost: h\r\n\rX", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
                     "\rGET / HTTP/1.1\r\nHost: h\r\n\r\n"] {
            #expect(status(parseWhole(head)) == 400, "\(head.debugDescription)")
        }
    }

    @Test func refusesObsFoldWith400() {
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n")) == 400)
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n")) == 400)
        #expect(status(parseWhole("GET / HTTP/1.1\r\n Host: h\r\n\r\n")) == 400)
    }

    @Test func refusesWhitespaceBeforeTheColonWith400() {
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost : h\r\n\r\n")) == 400)
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n")) == 400)
    }

    @Test func refusesMalformedNamesWith400() {
        for line in ["NoColon", ": empty-name", "Bad(Name): x", "Na\u{0}me: x"] {
            #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\(line)\r\n\r\n")) == 400, "\(line)")
        }
    }

    @Test func refusesControlCharactersInValuesWith400() {
        for value in ["a\u{0}b", "a\u{1}b", "\u{7F}", "a\u{1B}[0m"] {
            #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nX: \(value)\r\n\r\n")) == 400)
        }
    }

    @Test func requiresHostInHTTP11() {
        #expect(status(parseWhole("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")) == 400)
        #expect(request(parseWhole("GET / HTTP/1.0\r\n\r\n"))?.host == nil)
    }

    @Test func refusesASecondHostWith400() {
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n")) == 400)
    }

    @Test func matchesHeaderNamesCaseInsensitively() {
        let p = request(parseWhole("GET / HTTP/1.1\r\nhOsT: h\r\nCONTENT-LENGTH: 2\r\n\r\nab"))
        #expect(p?.host == "h")
        #expect(p?.body == "ab")
    }

    @Test func findsAHeaderValueByName() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: h\r\nX-Tenant: blue\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        var copy = bytes
        copy.withUnsafeMutableBytes { buffer in
            _ = parser.parse(buffer)
            let range = parser.request.firstValue(of: "x-tenant", in: UnsafeRawBufferPointer(buffer))
            #expect(range.map { text(UnsafeRawBufferPointer(buffer), $0) } == "blue")
            #expect(parser.request.firstValue(of: "cookie", in: UnsafeRawBufferPointer(buffer)) == nil)
        }
    }

    @Test func answers431WhenTheHeaderBlockIsTooLarge() {
        let limits = HTTPLimits(maxHeaderBytes: 200, maxHeaderCount: 100, maxBodyBytes: 10)
        let head = "GET / HTTP/1.1\r\nHost: h\r\nCookie: " + String(repeating: "c", count: 300) + "\r\n\r\n"
        #expect(status(parseWhole(head, limits: limits)) == 431)
        let buffer = ConnectionBuffer(limits: limits)
        buffer.append(Array(head.utf8.prefix(220)))
        #expect(buffer.parse() == .status(431))
    }

    @Test func answers431WhenThereAreTooManyFields() {
        let limits = HTTPLimits(maxHeaderBytes: 16384, maxHeaderCount: 5, maxBodyBytes: 10)
        let five = (1...4).map { "X-\($0): v\r\n" }.joined()
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\(five)\r\n", limits: limits)) != nil)
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\(five)X-5: v\r\n\r\n", limits: limits)) == 431)
    }
}
