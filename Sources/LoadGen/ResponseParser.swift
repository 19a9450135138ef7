// ResponseParser: frames HTTP/1.1 responses from a byte stream, reading only what a load generator needs.

/// A streaming, allocation-free response framer: the status code, `content-length` and
/// `connection: close`. Bytes may arrive split anywhere. It does not decode chunked bodies
/// (Isoring always sends content-length); a chunked or length-less response is a framing
/// error, counted by the caller, because the load generator could not tell where it ends.
public struct ResponseParser: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case badStatusLine
        case noContentLength
        case badContentLength
    }

    enum State: Sendable { case statusLine, headerLine, body }

    var state = State.statusLine
    var lineLength = 0
    var status = 0
    var contentLength = -1
    var closeAfter = false
    var bodyLeft = 0
    /// The first bytes of the current line (lower-cased), enough to recognise the headers we read.
    var line = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
    static let lineKeep = 32

    public init() {}

    /// Feeds bytes; calls `onResponse(status, closeAfter)` for each complete response.
    /// Returns a failure when the stream cannot be framed (the connection must be dropped).
    public mutating func consume(_ bytes: UnsafeRawBufferPointer,
                                 onResponse: (_ status: Int, _ closeAfter: Bool) -> Void) -> Failure? {
        var i = 0
        let n = bytes.count
        while i < n {
            if state == .body {
                let take = min(bodyLeft, n - i)
                bodyLeft -= take
                i += take
                if bodyLeft == 0 { finish(onResponse) }
                continue
            }
            let byte = bytes[i]
            i += 1
            if byte == UInt8(ascii: "\n") {
                if let failure = endOfLine(onResponse) { return failure }
                continue
            }
            if byte == UInt8(ascii: "\r") { continue }
            if lineLength < Self.lineKeep { storeLineByte(lower(byte), at: lineLength) }
            lineLength += 1
        }
        return nil
    }

    /// Handles a complete line (without CR LF).
    mutating func endOfLine(_ onResponse: (Int, Bool) -> Void) -> Failure? {
        defer { lineLength = 0; line = (0, 0, 0, 0) }
        switch state {
        case .statusLine:
            // "http/1.x NNN ..." (lower-cased): the code is at bytes 9..11.
            guard lineLength >= 12, lineByte(0) == UInt8(ascii: "h"), lineByte(8) == UInt8(ascii: " ") else {
                return .badStatusLine
            }
            var code = 0
            for k in 9..<12 {
                let d = lineByte(k) &- UInt8(ascii: "0")
                guard d <= 9 else { return .badStatusLine }
                code = code * 10 + Int(d)
            }
            status = code
            contentLength = -1
            closeAfter = false
            state = .headerLine
        case .headerLine:
            if lineLength == 0 {
                // End of head. 1xx, 204 and 304 have no body.
                if status < 200 {
                    state = .statusLine
                    return nil
                }
                if status == 204 || status == 304 { contentLength = 0 }
                guard contentLength >= 0 else { return .noContentLength }
                bodyLeft = contentLength
                state = .body
                if bodyLeft == 0 { finish(onResponse) }
                return nil
            }
            if hasPrefix("content-length:") {
                var value = 0
                var digits = 0
                var k = 15
                while k < min(lineLength, Self.lineKeep) {
                    let c = lineByte(k)
                    k += 1
                    if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { if digits == 0 { continue } else { break } }
                    let d = c &- UInt8(ascii: "0")
                    guard d <= 9 else { return .badContentLength }
                    value = value * 10 + Int(d)
                    digits += 1
                }
                guard digits > 0, lineLength <= Self.lineKeep else { return .badContentLength }
                contentLength = value
            } else if hasPrefix("connection:") {
                var k = 11
                while k < min(lineLength, Self.lineKeep), lineByte(k) == UInt8(ascii: " ") { k += 1 }
                if lineLength - k == 5, lineByte(k) == UInt8(ascii: "c"), lineByte(k + 1) == UInt8(ascii: "l") {
                    closeAfter = true
                }
            }
        case .body:
            break
        }
        return nil
    }

    mutating func finish(_ onResponse: (Int, Bool) -> Void) {
        state = .statusLine
        onResponse(status, closeAfter)
    }

    @inline(__always) func lower(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
    }

    @inline(__always) mutating func storeLineByte(_ b: UInt8, at k: Int) {
        let shift = UInt64((k & 7) * 8)
        let v = UInt64(b) << shift
        switch k >> 3 {
        case 0: line.0 |= v
        case 1: line.1 |= v
        case 2: line.2 |= v
        default: line.3 |= v
        }
    }

    @inline(__always) func lineByte(_ k: Int) -> UInt8 {
        let shift = UInt64((k & 7) * 8)
        let word: UInt64
        switch k >> 3 {
        case 0: word = line.0
        case 1: word = line.1
        case 2: word = line.2
        default: word = line.3
        }
        return UInt8(truncatingIfNeeded: word >> shift)
    }

    func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard lineLength >= count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where lineByte(k) != p[k] { return false }
        return true
    }
}
