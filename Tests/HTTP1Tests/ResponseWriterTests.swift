// ResponseWriterTests: the exact bytes of response heads, and the Date header's format.

import Testing
import Glibc
@testable import HTTP1

func written(_ out: OutputBuffer) -> String { String(decoding: out.bytes, as: UTF8.self) }

/// RFC 9110 5.6.7's own example instant: Sun, 06 Nov 1994 08:49:37 GMT.
let rfcExampleSeconds = 784_111_777

@Suite struct ResponseWriterTests {
    @Test func writesStatusDateServerHeadersAndLength() {
        HTTPDate.refresh(epochSeconds: rfcExampleSeconds)
        let out = OutputBuffer()
        HTTPResponseWriter.writeHead(status: 200, headers: [("content-type", "text/html"), ("x-a", "b")],
                                     contentLength: 12, keepAlive: true, into: out)
        #expect(written(out) == "HTTP/1.1 200 OK\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\nserver: isoring\r\n"
            + "content-type: text/html\r\nx-a: b\r\ncontent-length: 12\r\nconnection: keep-alive\r\n\r\n")
    }

    @Test func addsConnectionCloseWhenNotKeepingAlive() {
        HTTPDate.refresh(epochSeconds: rfcExampleSeconds)
        let out = OutputBuffer()
        HTTPResponseWriter.writeHead(status: 404, reason: "Nope", headers: [(String, String)](),
                                     contentLength: 0, keepAlive: false, into: out)
        #expect(written(out) == "HTTP/1.1 404 Nope\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\nserver: isoring\r\n"
            + "content-length: 0\r\nconnection: close\r\n\r\n")
    }

    @Test func copiesAPreformattedHeaderBlockAsIs() {
        HTTPDate.refresh(epochSeconds: rfcExampleSeconds)
        let out = OutputBuffer(capacity: 64)
        let block = Array("content-type: application/json\r\nx-tenant: blue\r\n".utf8)
        block.withUnsafeBytes {
            HTTPResponseWriter.writeHead(status: 201, headerBlock: $0, contentLength: 2, keepAlive: true, into: out)
        }
        out.append("{}")
        #expect(written(out) == "HTTP/1.1 201 Created\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\nserver: isoring\r\n"
            + "content-type: application/json\r\nx-tenant: blue\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}")
    }

    @Test func acceptsAnEmptyHeaderBlock() {
        HTTPDate.refresh(epochSeconds: rfcExampleSeconds)
        let out = OutputBuffer()
        HTTPResponseWriter.writeHead(status: 204, headerBlock: UnsafeRawBufferPointer(start: nil, count: 0),
                                     contentLength: 0, keepAlive: false, into: out)
        #expect(written(out) == "HTTP/1.1 204 No Content\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            + "server: isoring\r\nconnection: close\r\n\r\n")
    }

    @Test func writesATextResponseWithItsBody() {
        HTTPDate.refresh(epochSeconds: rfcExampleSeconds)
        let out = OutputBuffer()
        HTTPResponseWriter.writeText(status: 400, "bad", keepAlive: false, into: out)
        #expect(written(out) == "HTTP/1.1 400 Bad Request\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            + "server: isoring\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 3\r\n"
            + "connection: close\r\n\r\nbad")
    }

    @Test func omitsTheBodyOfATextResponseToHeadButKeepsItsLength() {
        HTTPDate.refresh(epochSeconds: rfcExampleSeconds)
        let out = OutputBuffer()
        HTTPResponseWriter.writeText(status: 503, "busy", keepAlive: true, isHead: true, into: out)
        #expect(written(out).hasSuffix("content-length: 4\r\nconnection: keep-alive\r\n\r\n"))
        #expect(written(out).hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
    }

    @Test func writes100ContinueWithoutOtherHeaders() {
        let out = OutputBuffer()
        HTTPResponseWriter.write100Continue(into: out)
        #expect(written(out) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test func hasAReasonPhraseForEveryStatusTheParserAnswers() {
        for status in [400, 413, 414, 431, 501, 505] {
            #expect(!HTTPResponseWriter.reasonPhrase(status).isEmpty)
        }
        #expect(HTTPResponseWriter.reasonPhrase(431) == "Request Header Fields Too Large")
        #expect(HTTPResponseWriter.reasonPhrase(205) == "Reset Content")
        // RFC 9112 4: an unregistered code gets an empty reason phrase, not a made-up one.
        #expect(HTTPResponseWriter.reasonPhrase(799) == "")
    }

    @Test func growsTheOutputBufferForLargeHeaderBlocks() {
        let out = OutputBuffer(capacity: 64)
        let block = Array(String(repeating: "x-long: 0123456789\r\n", count: 100).utf8)
        block.withUnsafeBytes {
            HTTPResponseWriter.writeHead(status: 200, headerBlock: $0, contentLength: 0, keepAlive: true, into: out)
        }
        #expect(written(out).contains(String(decoding: block, as: UTF8.self)))
        #expect(written(out).hasSuffix("content-length: 0\r\nconnection: keep-alive\r\n\r\n"))
    }

    /// RFC 9110 8.6 and 15.4.5: no Content-Length (and no body) on 1xx, 204 and 304.
    @Test func writesNoLengthAndNoBodyWhereTheStatusForbidsContent() {
        for status in [103, 204, 304] {
            let out = OutputBuffer()
            HTTPResponseWriter.writeText(status: status, "ignored", keepAlive: true, into: out)
            #expect(!written(out).contains("content-length"), "\(status)")
            #expect(written(out).hasSuffix("connection: keep-alive\r\n\r\n"), "\(status)")
        }
        let out = OutputBuffer()
        HTTPResponseWriter.writeText(status: 205, "", keepAlive: true, into: out)
        #expect(written(out).hasPrefix("HTTP/1.1 205 Reset Content\r\n"))
        #expect(written(out).contains("content-length: 0\r\n"))
    }
}

@Suite struct HTTPDateTests {
    @Test func formatsTheRFCExampleAsIMFFixdate() {
        #expect(HTTPDate.string(epochSeconds: rfcExampleSeconds) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func formatsTheEpochLeapDaysAndYearEnds() {
        #expect(HTTPDate.string(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.string(epochSeconds: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.string(epochSeconds: 1_735_689_599) == "Tue, 31 Dec 2024 23:59:59 GMT")
        #expect(HTTPDate.string(epochSeconds: 4_102_444_800) == "Fri, 01 Jan 2100 00:00:00 GMT")
    }

    @Test func alwaysFormatsTwentyNineBytes() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<1000 {
            let s = HTTPDate.string(epochSeconds: Int.random(in: 0...4_000_000_000, using: &rng))
            #expect(s.utf8.count == HTTPDate.byteCount)
            #expect(s.hasSuffix(" GMT"))
        }
    }

    @Test func keepsTheCachedDateUntilRefreshed() {
        HTTPDate.refresh(epochSeconds: 0)
        #expect(HTTPDate.current == "Thu, 01 Jan 1970 00:00:00 GMT")
        HTTPDate.refresh(epochSeconds: 1)
        #expect(HTTPDate.current == "Thu, 01 Jan 1970 00:00:01 GMT")
        HTTPDate.refresh()
        #expect(HTTPDate.current != "Thu, 01 Jan 1970 00:00:01 GMT")
        #expect(HTTPDate.current.hasSuffix(" GMT"))
    }

    @Test func givesEachThreadItsOwnCache() {
        HTTPDate.refresh(epochSeconds: 0)
        let fromOther = onNewThread { HTTPDate.current }
        #expect(fromOther != "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(fromOther.utf8.count == HTTPDate.byteCount)
        #expect(HTTPDate.current == "Thu, 01 Jan 1970 00:00:00 GMT")
    }
}

/// Runs `body` on a new pthread and returns what it returned, to observe per-thread state.
func onNewThread(_ body: @escaping @Sendable () -> String) -> String {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> String
        var result = ""
        init(_ body: @escaping @Sendable () -> String) { self.body = body }
    }
    let box = Box(body)
    var handle = pthread_t()
    let rc = pthread_create(&handle, nil, { raw in
        let box = Unmanaged<Box>.fromOpaque(raw!).takeUnretainedValue()
        box.result = box.body()
        return nil
    }, Unmanaged.passUnretained(box).toOpaque())
    precondition(rc == 0)
    pthread_join(handle, nil)
    return box.result
}
