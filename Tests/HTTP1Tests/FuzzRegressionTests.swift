// FuzzRegressionTests: inputs the libFuzzer targets in Fuzz/ found, kept as tests.

import Testing
@testable import HTTP1

@Suite struct FuzzRegressionTests {
    /// Fuzz/FuzzRequestParser, crash-dd034e47: a trailer line longer than the trailer limit
    /// with a control byte past the limit was a 400 when the body arrived whole (the line was
    /// scanned to the bad byte) and a 431 when it arrived in pieces (the limit was hit first).
    @Test func trailerPastItsLimitGetsTheSameAnswerHoweverItArrives() {
        let limits = HTTPLimits(maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 256)
        let head = "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let bytes = Array((head + "X-T: " + String(repeating: "a", count: 300) + "\u{08}\r\n\r\n").utf8)
        let whole = parseSplit(bytes, at: [], limits: limits)
        #expect(whole == .status(431))
        for cut in stride(from: head.utf8.count, to: bytes.count, by: 7) {
            #expect(parseSplit(bytes, at: [cut], limits: limits) == whole, "cut at \(cut)")
        }
        #expect(parseSplit(bytes, at: Array(0..<bytes.count), limits: limits) == whole)
        // Inside the limit the bad byte still decides.
        let early = Array((head + "X-T: a\u{08}" + String(repeating: "a", count: 300) + "\r\n\r\n").utf8)
        #expect(parseSplit(early, at: [], limits: limits) == .status(400))
        #expect(parseSplit(early, at: Array(0..<early.count), limits: limits) == .status(400))
    }
}
