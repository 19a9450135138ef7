// ByteClassTests: the character classes checked exhaustively against RFC 9110's definitions.

import Testing
@testable import HTTP1

@Suite struct ByteClassTests {
    @Test func classifiesEveryByteAsTokenExactlyAsRFC9110Says() {
        let tchar = Set(Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))
        for b in 0...255 {
            #expect(Byte.isToken(UInt8(b)) == tchar.contains(UInt8(b)), "byte \(b)")
        }
    }

    @Test func classifiesHexDigits() {
        for b in 0...255 {
            let expected = Int(String(UnicodeScalar(UInt8(b))), radix: 16)
            #expect(Byte.hexValue(UInt8(b)) == expected, "byte \(b)")
        }
    }

    @Test func refusesEveryControlByteInAValueButHTAB() {
        for b in UInt8(0)...UInt8(0x1F) where b != 0x09 && b != 0x0A && b != 0x0D {
            let bytes = Array("GET / HTTP/1.1\r\nHost: h\r\nX: a".utf8) + [b] + Array("b\r\n\r\n".utf8)
            #expect(status(parseSplit(bytes, at: [])) == 400, "byte \(b)")
        }
        let tab = Array("GET / HTTP/1.1\r\nHost: h\r\nX: a\tb\r\n\r\n".utf8)
        #expect(request(parseSplit(tab, at: []))?.headers.last == "X=a\tb")
    }

    /// A Transfer-Encoding list may go on in a later field line, so its verdict waits for
    /// the end of the head (RFC 9112 6.3 decides 400 or 501 by the last coding).
    @Test func judgesTransferEncodingWhenTheHeadEnds() {
        let buffer = ConnectionBuffer()
        buffer.append(Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n".utf8))
        #expect(buffer.parse() == .incomplete)
        buffer.append(Array("\r\n".utf8))
        #expect(buffer.parse() == .status(400))
    }
}
