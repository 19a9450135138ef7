// HTTPHeaderSemantics: what Host, Content-Length, Transfer-Encoding, Connection and Expect
// mean for framing and connection reuse, judged as each field arrives.

extension HTTPRequestParser {
    /// Applies one field. Names are compared case-insensitively; the switch on length keeps
    /// the common case (a field the parser does not own) to one integer compare.
    mutating func applyHeader(_ base: UnsafeMutableRawPointer, name: Range<Int>,
                              value: Range<Int>) -> HTTPParseError? {
        switch name.count {
        case 4 where bytesEqualIgnoringCase(base, name, "host"):
            hostCount += 1
            if hostCount > 1 { return .duplicateHost }
            // RFC 9112 3.2: 400 for a Host that is not `uri-host [":" port]`; what would reach
            // the tenant's URL (a path, a space, userinfo, a second host) stops here.
            guard HTTPAuthority.check(base, value) == .valid else { return .malformedHost }
            request.host = value
        case 14 where bytesEqualIgnoringCase(base, name, "content-length"):
            return applyContentLength(base, value)
        case 17 where bytesEqualIgnoringCase(base, name, "transfer-encoding"):
            return applyTransferEncoding(base, value)
        case 10 where bytesEqualIgnoringCase(base, name, "connection"):
            var list = ListElements(range: value)
            while let element = list.next(base) {
                if bytesEqualIgnoringCase(base, element, "close") { connectionClose = true }
                if bytesEqualIgnoringCase(base, element, "keep-alive") { connectionKeepAlive = true }
            }
        case 6 where bytesEqualIgnoringCase(base, name, "expect"):
            if bytesEqualIgnoringCase(base, value, "100-continue") { expectContinue = true }
        default:
            break
        }
        return nil
    }

    /// Content-Length is digits only; a list ("5, 5") or repeated fields must agree
    /// (RFC 9110 8.6). Too large a body is refused now, before the client sends it.
    mutating func applyContentLength(_ base: UnsafeMutableRawPointer, _ value: Range<Int>) -> HTTPParseError? {
        if sawTransferEncoding { return .lengthAndChunked }
        var list = ListElements(range: value, keepEmpty: true)
        var any = false
        while let element = list.next(base) {
            guard !element.isEmpty else { return .malformedContentLength }
            var length = 0
            for i in element {
                let b = base.load(fromByteOffset: i, as: UInt8.self)
                guard Byte.isDigit(b) else { return .malformedContentLength }
                let (times10, o1) = length.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(b - 0x30))
                if o1 || o2 { return .malformedContentLength }
                length = sum
            }
            if let previous = contentLength, previous != length { return .conflictingContentLength }
            contentLength = length
            any = true
        }
        guard any, let length = contentLength else { return .malformedContentLength }
        if length > limits.maxBodyBytes { return .bodyTooLarge }
        return nil
    }

    /// Records the codings of one Transfer-Encoding line; the verdict waits for the whole
    /// head (`finishTransferEncoding`), since the list may continue on a later line.
    mutating func applyTransferEncoding(_ base: UnsafeMutableRawPointer, _ value: Range<Int>) -> HTTPParseError? {
        // RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding is faulty framing.
        if request.versionMinor == 0 { return .transferEncodingInHTTP10 }
        if contentLength != nil { return .lengthAndChunked }
        sawTransferEncoding = true
        var list = ListElements(range: value)
        var any = false
        while let element = list.next(base) {
            any = true
            lastCodingIsChunked = bytesEqualIgnoringCase(base, element, "chunked")
            if lastCodingIsChunked { chunkedCount += 1 } else { otherCoding = true }
        }
        return any ? nil : .malformedTransferEncoding
    }

    /// Only `chunked`, once and last, can be framed (RFC 9112 6.3: chunked not final is 400
    /// and close; 7: chunked at most once); a coding we cannot undo before chunked is 501
    /// (RFC 9112 6.1).
    mutating func finishTransferEncoding() -> HTTPParseError? {
        guard sawTransferEncoding else { return nil }
        if !lastCodingIsChunked { return .chunkedNotFinal }
        if chunkedCount > 1 { return .chunkedTwice }
        if otherCoding { return .unsupportedTransferCoding }
        chunked = true
        return nil
    }
}

/// Iterates the elements of a comma-separated field value (RFC 9110 5.6.1), each trimmed of
/// optional whitespace; empty elements are skipped unless `keepEmpty`.
struct ListElements {
    var position: Int
    let end: Int
    let keepEmpty: Bool
    var finished = false

    init(range: Range<Int>, keepEmpty: Bool = false) {
        position = range.lowerBound
        end = range.upperBound
        self.keepEmpty = keepEmpty
    }

    mutating func next(_ base: UnsafeRawPointer) -> Range<Int>? {
        while !finished {
            var stop = position
            while stop < end && base.load(fromByteOffset: stop, as: UInt8.self) != Byte.comma { stop += 1 }
            var lo = position
            var hi = stop
            while lo < hi && Byte.isOWS(base.load(fromByteOffset: lo, as: UInt8.self)) { lo += 1 }
            while hi > lo && Byte.isOWS(base.load(fromByteOffset: hi - 1, as: UInt8.self)) { hi -= 1 }
            if stop >= end { finished = true } else { position = stop + 1 }
            if lo < hi || keepEmpty { return lo..<hi }
        }
        return nil
    }
}
