// ConnectionSemanticsTests: keep-alive defaults and the Connection, Expect and HEAD flags.

import Testing
@testable import HTTP1

@Suite struct ConnectionSemanticsTests {
    @Test func keepsHTTP11ConnectionsAliveByDefault() {
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))?.keepAlive == true)
    }

    @Test func closesHTTP10ConnectionsByDefault() {
        #expect(request(parseWhole("GET / HTTP/1.0\r\n\r\n"))?.keepAlive == false)
    }

    @Test func honoursKeepAliveInHTTP10() {
        #expect(request(parseWhole("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"))?.keepAlive == true)
    }

    @Test func honoursCloseInHTTP11IncludingInAList() {
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))?.keepAlive == false)
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade, CLOSE\r\n\r\n"))?.keepAlive == false)
    }

    @Test func letsCloseWinOverKeepAlive() {
        #expect(request(parseWhole("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"))?.keepAlive == false)
    }

    @Test func ignoresConnectionTokensThatOnlyContainCloseOrKeepAlive() {
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n"))?.keepAlive == true)
        #expect(request(parseWhole("GET / HTTP/1.0\r\nConnection: keep-alive-ish\r\n\r\n"))?.keepAlive == false)
    }

    @Test func flagsExpect100Continue() {
        let p = request(parseWhole("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx"))
        #expect(p?.expectsContinue == true)
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))?.expectsContinue == false)
    }

    @Test func asksForA100ContinueOnceWhileTheBodyIsWithheld() {
        let buffer = ConnectionBuffer()
        buffer.append(Array("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        #expect(buffer.parse() == .incomplete)
        let first = buffer.parser.takePendingContinue()
        let second = buffer.parser.takePendingContinue()
        #expect(first)
        #expect(!second)
        buffer.append(Array("abc".utf8))
        #expect(request(buffer.parse())?.body == "abc")
        let afterBody = buffer.parser.takePendingContinue()
        #expect(!afterBody)
    }

    @Test func asksForNo100ContinueWithoutExpectOrWithoutBody() {
        let buffer = ConnectionBuffer()
        buffer.append(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n".utf8))
        #expect(buffer.parse() == .incomplete)
        let withoutExpect = buffer.parser.takePendingContinue()
        #expect(!withoutExpect)
        let bodiless = ConnectionBuffer()
        bodiless.append(Array("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n".utf8))
        #expect(request(bodiless.parse())?.expectsContinue == true)
        let withoutBody = bodiless.parser.takePendingContinue()
        #expect(!withoutBody)
    }

    @Test func ignoresExpectFromHTTP10Clients() {
        #expect(request(parseWhole("GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n"))?.expectsContinue == false)
    }

    @Test func flagsHeadRequestsCaseSensitively() {
        #expect(request(parseWhole("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n"))?.isHead == true)
        #expect(request(parseWhole("head / HTTP/1.1\r\nHost: h\r\n\r\n"))?.isHead == false)
        #expect(request(parseWhole("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))?.isHead == false)
    }
}
