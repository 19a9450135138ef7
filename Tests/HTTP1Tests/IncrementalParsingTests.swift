// IncrementalParsingTests: requests arriving in pieces, and pipelined requests in one buffer.

import Testing
@testable import HTTP1

/// Requests whose outcome must not depend on how the bytes were split.
let splitSamples: [String] = [
    "GET /a?b HTTP/1.1\r\nHost: h\r\nAccept: */*\r\nConnection: close\r\n\r\n",
    "\r\n\nPOST /u HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\nhello world",
    "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nT: v\r\n\r\n",
    "HEAD http://h/x HTTP/1.0\nConnection: keep-alive\n\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
    "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
]

@Suite struct IncrementalParsingTests {
    @Test(arguments: splitSamples)
    func givesTheSameResultAtEverySplitPoint(_ sample: String) {
        let bytes = Array(sample.utf8)
        let whole = parseSplit(bytes, at: [])
        #expect(whole != .incomplete)
        for cut in 0...bytes.count {
            #expect(parseSplit(bytes, at: [cut]) == whole, "cut at \(cut)")
        }
    }

    @Test(arguments: splitSamples)
    func givesTheSameResultFedOneByteAtATime(_ sample: String) {
        let bytes = Array(sample.utf8)
        #expect(parseSplit(bytes, at: Array(0..<bytes.count)) == parseSplit(bytes, at: []))
    }

    @Test(arguments: splitSamples)
    func givesTheSameResultAtEveryPairOfSplitPoints(_ sample: String) {
        let bytes = Array(sample.utf8)
        let whole = parseSplit(bytes, at: [])
        for a in stride(from: 0, through: bytes.count, by: 3) {
            for b in stride(from: a, through: bytes.count, by: 5) {
                #expect(parseSplit(bytes, at: [a, b]) == whole, "cuts at \(a), \(b)")
            }
        }
    }

    @Test func reportsIncompleteForEveryProperPrefixOfAValidRequest() {
        let bytes = Array(splitSamples[2].utf8)
        for n in 0..<bytes.count {
            let buffer = ConnectionBuffer()
            buffer.append(bytes[0..<n])
            #expect(buffer.parse() == .incomplete, "prefix \(n)")
        }
    }

    @Test func parsesPipelinedRequestsOneAfterAnother() {
        let buffer = ConnectionBuffer()
        buffer.append(Array(("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
            + "GET /4 HTTP/1.0\r\n\r\n"
            + "GET /5 HTT").utf8))
        #expect(request(buffer.parse())?.target == "/1")
        let second = request(buffer.parse())
        #expect(second?.target == "/2")
        #expect(second?.body == "abc")
        let third = request(buffer.parse())
        #expect(third?.target == "/3")
        #expect(third?.body == "xy")
        let fourth = request(buffer.parse())
        #expect(fourth?.target == "/4")
        #expect(fourth?.keepAlive == false)
        #expect(buffer.parse() == .incomplete)
        buffer.append(Array("P/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(request(buffer.parse())?.target == "/5")
        #expect(buffer.count == 0)
    }

    @Test func parsesAPipelinedRequestAfterAChunkedOneAtEverySplitPoint() {
        let first = "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        let bytes = Array((first + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n").utf8)
        for cut in 0...bytes.count {
            let buffer = ConnectionBuffer()
            buffer.append(bytes[0..<cut])
            var targets: [String] = []
            while case .request(let p) = buffer.parse() { targets.append(p.target) }
            buffer.append(bytes[cut...])
            while case .request(let p) = buffer.parse() { targets.append(p.target) }
            #expect(targets == ["/a", "/b"], "cut at \(cut)")
        }
    }

    @Test func startsOverAfterReset() {
        var parser = HTTPRequestParser()
        var junk = Array("GET /abandoned HTTP/1.1\r\nHo".utf8)
        _ = junk.withUnsafeMutableBytes { parser.parse($0) }
        parser.reset()
        var fresh = Array("GET /new HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        let result = fresh.withUnsafeMutableBytes { parser.parse($0) }
        #expect(result == .complete(consumed: fresh.count))
        #expect(parser.request.target == 4..<8)
    }

    @Test func reusesTheHeaderArrayCapacityAcrossRequests() {
        var parser = HTTPRequestParser()
        var bytes = Array("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n".utf8)
        _ = bytes.withUnsafeMutableBytes { parser.parse($0) }
        let capacity = parser.request.headers.capacity
        for _ in 0..<10 { _ = bytes.withUnsafeMutableBytes { parser.parse($0) } }
        #expect(parser.request.headers.count == 3)
        #expect(parser.request.headers.capacity == capacity)
    }
}
