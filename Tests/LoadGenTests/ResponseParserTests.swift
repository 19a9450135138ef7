// ResponseParserTests: responses are framed from bytes split anywhere.
import Testing
@testable import LoadGen

@Suite struct ResponseParserTests {
    func feed(_ text: String, splitEvery step: Int) -> (statuses: [Int], closes: [Bool], failure: ResponseParser.Failure?) {
        var p = ResponseParser()
        var statuses: [Int] = []
        var closes: [Bool] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(bytes.count, i + step)])
            let f = chunk.withUnsafeBytes { p.consume($0) { s, c in statuses.append(s); closes.append(c) } }
            if let f { return (statuses, closes, f) }
            i += step
        }
        return (statuses, closes, nil)
    }

    let pipelined = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
        + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"
        + "HTTP/1.1 204 No Content\r\n\r\n"
        + "HTTP/1.1 503 Service Unavailable\r\nCONTENT-LENGTH:  12\r\nConnection: close\r\n\r\nbusy, sorry\n"

    @Test func framesPipelinedResponsesAtEverySplitSize() {
        for step in 1...pipelined.utf8.count {
            let r = feed(pipelined, splitEvery: step)
            #expect(r.failure == nil)
            #expect(r.statuses == [200, 404, 204, 503], "split every \(step)")
            #expect(r.closes == [false, false, false, true])
        }
    }

    @Test func bodyBytesThatLookLikeAHeadAreNotParsed() {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\nHTTP/1.1 500 Oops\r\n"
        #expect(feed(text, splitEvery: 3).statuses == [200])
    }

    @Test func responseWithoutLengthIsAFramingError() {
        #expect(feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", splitEvery: 7).failure == .noContentLength)
    }

    @Test func garbageStatusLineIsAFramingError() {
        #expect(feed("SSH-2.0-OpenSSH\r\n\r\n", splitEvery: 4).failure == .badStatusLine)
        #expect(feed("HTTP/1.1 2x0 OK\r\n\r\n", splitEvery: 4).failure == .badStatusLine)
    }

    @Test func interimContinueIsSkipped() {
        let r = feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", splitEvery: 5)
        #expect(r.statuses == [201])
    }
}
