// BodyFramingTests: Content-Length and Transfer-Encoding rules, and chunked decoding in place.

import Testing
@testable import HTTP1

@Suite struct BodyFramingTests {
    let head = "POST /p HTTP/1.1\r\nHost: h\r\n"

    @Test func readsABodyOfContentLength() {
        let p = request(parseWhole(head + "Content-Length: 5\r\n\r\nhelloEXTRA"))
        #expect(p?.body == "hello")
        #expect(p?.consumed == head.utf8.count + 21 + 5)
    }

    @Test func waitsForTheWholeBody() {
        #expect(parseWhole(head + "Content-Length: 5\r\n\r\nhell") == .incomplete)
    }

    @Test func acceptsRepeatedEqualContentLengths() {
        #expect(request(parseWhole(head + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc"))?.body == "abc")
        #expect(request(parseWhole(head + "Content-Length: 3, 3\r\n\r\nabc"))?.body == "abc")
    }

    @Test func refusesConflictingContentLengthsWith400() {
        #expect(status(parseWhole(head + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")) == 400)
        #expect(status(parseWhole(head + "Content-Length: 3, 4\r\n\r\nabcd")) == 400)
    }

    @Test func refusesNonDigitContentLengthsWith400() {
        for value in ["-1", "+5", "0x10", "1 2", "", "5,", "1.0", "abc"] {
            #expect(status(parseWhole(head + "Content-Length: \(value)\r\n\r\n")) == 400, "\(value)")
        }
    }

    @Test func refusesAnOverflowingContentLengthWith400() {
        #expect(status(parseWhole(head + "Content-Length: 99999999999999999999999\r\n\r\n")) == 400)
    }

    @Test func answers413AsSoonAsContentLengthExceedsTheLimit() {
        let limits = HTTPLimits(maxHeaderBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 100)
        #expect(request(parseWhole(head + "Content-Length: 100\r\n\r\n" + String(repeating: "x", count: 100),
                                   limits: limits)) != nil)
        // No empty line yet, no body: the answer does not wait for either.
        #expect(status(parseWhole(head + "Content-Length: 101\r\n", limits: limits)) == 413)
    }

    @Test func refusesContentLengthWithTransferEncodingWith400() {
        #expect(status(parseWhole(head + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")) == 400)
        #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n")) == 400)
    }

    /// RFC 9112 6.3: chunked not last (or absent) leaves the length unknown: 400 and close.
    @Test func answers400WhenChunkedIsNotTheFinalCoding() {
        for te in ["gzip", "chunked, gzip", "chunked, chunked", "chunked;x=1", "identity"] {
            #expect(status(parseWhole(head + "Transfer-Encoding: \(te)\r\n\r\n")) == 400, "\(te)")
        }
        #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n")) == 400)
        #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")) == 400)
    }

    /// RFC 9112 6.1: a coding the server cannot undo, under a final chunked, is 501.
    @Test func answers501ForAnUnknownCodingBeforeAFinalChunked() {
        #expect(status(parseWhole(head + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")) == 501)
        #expect(status(parseWhole(head + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")) == 501)
    }

    @Test func refusesTransferEncodingInHTTP10With400() {
        #expect(status(parseWhole("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")) == 400)
    }

    @Test func refusesAnEmptyTransferEncodingWith400() {
        #expect(status(parseWhole(head + "Transfer-Encoding: ,\r\n\r\n")) == 400)
    }

    @Test func decodesAChunkedBodyInPlace() {
        let p = request(parseWhole(head + "Transfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n1;a=b\r\n,\r\n6\r\n world\r\n0\r\n\r\nNEXT"))
        #expect(p?.body == "hello, world")
        #expect(p?.consumed == (head + "Transfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n1;a=b\r\n,\r\n6\r\n world\r\n0\r\n\r\n").utf8.count)
    }

    @Test func decodesHexSizesExtensionsAndTrailers() {
        let body = "A ; name=\"quoted value\" ; flag\r\n0123456789\r\n0;last\r\nX-Trailer: 1\r\nX-Other: two\r\n\r\n"
        let p = request(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n" + body))
        #expect(p?.body == "0123456789")
        // Trailers are discarded: the request's fields are the head's only.
        #expect(p?.headers == ["Host=h", "Transfer-Encoding=chunked"])
    }

    /// The chunked framing takes CRLF only: a lone LF is where two parsers disagree.
    @Test func refusesBareLFInChunkedFramingLines() {
        for body in ["3\nabc\r\n0\r\n\r\n", "3\r\nabc\n0\r\n\r\n", "3\r\nabc\r\n0\n\r\n",
                     "3\r\nabc\r\n0\r\n\n", "3;a=b\nabc\r\n0\r\n\r\n", "3\r\nabc\r\n0\r\nX: y\n\r\n"] {
            #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n" + body)) == 400, "\(body.debugDescription)")
        }
    }

    /// Only `BWS ";" name [= value]` may follow a chunk size (RFC 9112 7.1.1).
    @Test func refusesStrayTextInChunkSizeLinesAndExtensions() {
        for line in ["3 x", "3x", "3 ;", "3;", "3;=v", "3;a=", "3;a=\"open", "3;a b", "3;a=b c", "3,a", "3;a=\"x\"y",
                     "3;a=\"\u{01}\"", "0x3", "3\u{0}"] {
            #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n\(line)\r\nabc\r\n0\r\n\r\n")) == 400,
                    "\(line.debugDescription)")
        }
        for line in ["3 ;a", "3\t; a = b ", "3;a=\"q\\\"d\";b", "3;a;b=c"] {
            #expect(request(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n\(line)\r\nabc\r\n0\r\n\r\n"))?.body == "abc",
                    "\(line.debugDescription)")
        }
    }

    @Test func decodesAnEmptyChunkedBody() {
        #expect(request(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))?.body == "")
    }

    @Test func answers413WhenDecodedChunksExceedTheLimit() {
        let limits = HTTPLimits(maxHeaderBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 8)
        let te = head + "Transfer-Encoding: chunked\r\n\r\n"
        #expect(request(parseWhole(te + "4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", limits: limits))?.body == "abcdefgh")
        // The second size line alone is enough to refuse.
        #expect(status(parseWhole(te + "4\r\nabcd\r\n5\r\n", limits: limits)) == 413)
    }

    @Test func refusesMalformedChunkFramingWith400() {
        for body in ["x\r\n", "\r\n", "3\r\nabcX\r\n", "3\r\nabc\rX", "3 x\u{1}\r\n", "-1\r\n", "3\r\nabc\r\n0\r\n bad\r\n\r\n",
                     "3\r\nabc\r\n0\r\nno-colon\r\n\r\n", "3\r\nabc\r\n0\r\nX: \u{0}\r\n\r\n", "3\r\r\nabc"] {
            #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n" + body)) == 400, "\(body.debugDescription)")
        }
    }

    @Test func refusesAnOverflowingChunkSizeWith400() {
        #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n")) == 400)
    }

    @Test func refusesAnEndlessChunkExtensionWith400() {
        let ext = ";" + String(repeating: "e", count: 5000)
        #expect(status(parseWhole(head + "Transfer-Encoding: chunked\r\n\r\n1" + ext)) == 400)
    }

    @Test func leavesTheBytesUntouchedUntilTheChunkedBodyIsComplete() {
        let partial = Array((head + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\nde").utf8)
        let buffer = ConnectionBuffer()
        buffer.append(partial)
        #expect(buffer.parse() == .incomplete)
        let after = (0..<buffer.count).map { buffer.storage.load(fromByteOffset: $0, as: UInt8.self) }
        #expect(after == partial)
        buffer.append(Array("fg\r\n0\r\n\r\n".utf8))
        #expect(request(buffer.parse())?.body == "abcdefg")
    }
}
