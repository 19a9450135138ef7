// AuthorityTests: Host validation, absolute-form targets and the method's length (RFC 9112 3).

import Testing
@testable import HTTP1

@Suite struct AuthorityTests {
    /// RFC 9112 3.2 and RFC 3986 3.2.2: Host is `uri-host [":" port]`; anything that could put
    /// a path, a space, userinfo or a second host into the tenant's URL is a 400.
    @Test func refusesAMalformedHostWith400() {
        for host in ["a/evil", "a b", "user@a", "a, b", "a,b", "a\\b", "a?b", "a#b", "[::1", "[::1]x", "[zz]",
                     "a:8080:1", "a:80x", "%zz", "a%2", "<a>", "a\"b", "a{b}"] {
            #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")) == 400, "\(host)")
        }
    }

    @Test func acceptsHostsOfEveryShapeRFC3986Allows() {
        for host in ["a", "a.localhost:8080", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8080",
                     "[v1.fe80::a+en1]", "xn--bcher-kva.example", "a_b~c-d", "a%41b", "a:", "sub!$&'()*+;=x"] {
            #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n"))?.host == host, "\(host)")
        }
        // RFC 9112 3.2: an empty Host is what a client sends for a target without authority.
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost:\r\n\r\n"))?.host == "")
    }

    @Test func refusesMissingAndRepeatedHost() {
        #expect(status(parseWhole("GET / HTTP/1.1\r\n\r\n")) == 400)
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n")) == 400)
        #expect(status(parseWhole("GET / HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n")) == 400)
        // HTTP/1.0 may leave Host out.
        #expect(request(parseWhole("GET / HTTP/1.0\r\n\r\n"))?.host == nil)
    }

    /// RFC 9112 3.2.2: the target's authority replaces Host (the field is still required in
    /// HTTP/1.1 and still checked).
    @Test func absoluteFormAuthorityWinsOverHost() {
        let p = request(parseWhole("GET http://b.localhost:8080/x?q HTTP/1.1\r\nHost: a.localhost\r\n\r\n"))
        #expect(p?.host == "b.localhost:8080")
        #expect(p?.target == "http://b.localhost:8080/x?q")
        #expect(request(parseWhole("GET HTTPS://b?q HTTP/1.1\r\nHost: a\r\n\r\n"))?.host == "b")
        #expect(request(parseWhole("GET http://[::1]:81 HTTP/1.0\r\n\r\n"))?.host == "[::1]:81")
        #expect(status(parseWhole("GET http://b/ HTTP/1.1\r\n\r\n")) == 400)
    }

    @Test func refusesUserinfoEmptyHostsAndOtherSchemesInAbsoluteForm() {
        for target in ["http://user@b/", "http://u:p@b/x", "http:///x", "http://:80/", "http://a b/",
                       "http://a%zz/", "ftp://b/", "ws://b/", "http://[::1/"] {
            #expect(status(parseWhole("GET \(target) HTTP/1.1\r\nHost: b\r\n\r\n")) == 400, "\(target)")
        }
    }

    /// RFC 9110 9.1: an unrecognised method is 501; a 10,000-byte one is refused as soon as it
    /// passes the cap, without waiting for the rest of the head.
    @Test func refusesAnOverlongMethodEarlyWith501() {
        let method = String(repeating: "A", count: 10_000)
        let buffer = ConnectionBuffer()
        buffer.append(Array(method.utf8))
        #expect(buffer.parse() == .status(501))
        let cap = String(repeating: "M", count: HTTPRequestParser.maxMethodBytes)
        #expect(request(parseWhole("\(cap) / HTTP/1.1\r\nHost: h\r\n\r\n"))?.method == cap)
        #expect(status(parseWhole("\(cap)M / HTTP/1.1\r\nHost: h\r\n\r\n")) == 501)
    }
}
