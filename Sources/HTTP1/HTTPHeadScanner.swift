// HTTPHeadScanner: the resumable byte-level state machine over the request line and headers.

enum HeadScan {
    case needMore
    case failed(HTTPParseError)
    case done
}

extension HTTPRequestParser {
    /// Scans from `scan` up to `count`, advancing the state machine; on `.done`, `headEnd` is
    /// just past the empty line and every header has been recorded and checked. Each byte is
    /// looked at once across calls.
    mutating func scanHead(_ base: UnsafeMutableRawPointer, _ count: Int) -> HeadScan {
        var i = scan
        defer { scan = i }
        // Bytes before the request line count against the limit from offset 0; the head
        // (request line and headers, including the empty line) from its first byte.
        var limitEnd = phase == .leading || phase == .leadingCR
            ? limits.maxHeaderBytes : headStart + limits.maxHeaderBytes
        @inline(__always) func byte(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }

        while i < count {
            if i >= limitEnd { return .failed(overLimitError()) }
            let b = byte(i)
            switch phase {
            case .leading:
                if b == Byte.lf { break }
                if b == Byte.cr { phase = .leadingCR; break }
                guard Byte.isToken(b) else { return .failed(.malformedRequestLine) }
                headStart = i
                limitEnd = headStart + limits.maxHeaderBytes
                phase = .method
            case .leadingCR:
                guard b == Byte.lf else { return .failed(.bareCR) }
                phase = .leading
            case .method:
                // A method longer than any registered one is refused before the head ends,
                // so a 10,000-byte token never reaches a tenant (RFC 9110 9.1: 501).
                let cap = headStart + Self.maxMethodBytes
                let end = min(count, limitEnd, cap + 1)
                while i < end && Byte.isToken(byte(i)) { i += 1 }
                if i > cap { return .failed(.methodTooLong) }
                if i == end { continue }
                guard byte(i) == Byte.sp else { return .failed(.malformedRequestLine) }
                request.method = headStart..<i
                // CONNECT asks for a tunnel, which a function host does not offer.
                if bytesEqual(base, request.method, "CONNECT") { return .failed(.connectNotSupported) }
                phase = .targetFirst
            case .targetFirst:
                guard Byte.isTargetByte(b) else { return .failed(.malformedRequestLine) }
                mark = i
                phase = .target
            case .target:
                // Tight loop: targets are the longest part of most request lines.
                let end = min(count, limitEnd)
                while i < end && Byte.isTargetByte(byte(i)) { i += 1 }
                if i == end { continue }
                guard byte(i) == Byte.sp else { return .failed(.malformedRequestLine) }
                request.target = mark..<i
                if let error = checkTargetForm(base) { return .failed(error) }
                phase = .version
                versionIndex = 0
            case .version:
                let expected: StaticString = "HTTP/"
                guard b == expected.utf8Start[versionIndex] else { return .failed(.malformedVersion) }
                versionIndex += 1
                if versionIndex == 5 { phase = .versionMajor }
            case .versionMajor:
                // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 2.3): one digit each, so
                // "HTTP/1.10" and "HTTP/1" are malformed (400), not a version to negotiate.
                if Byte.isDigit(b) && versionMajorDigits == 0 {
                    versionMajor = Int(b - 0x30)
                    versionMajorDigits = 1
                } else if versionMajorDigits > 0 && b == Byte.dot {
                    phase = .versionMinor
                } else {
                    return .failed(.malformedVersion)
                }
            case .versionMinor:
                if Byte.isDigit(b) && versionMinorDigits == 0 {
                    versionMinor = Int(b - 0x30)
                    versionMinorDigits = 1
                } else if versionMinorDigits > 0 && (b == Byte.cr || b == Byte.lf) {
                    if let error = endRequestLine(b, at: i) { return .failed(error) }
                } else {
                    return .failed(.malformedVersion)
                }
            case .requestLineCR:
                guard b == Byte.lf else { return .failed(.bareCR) }
                phase = .lineStart
            case .lineStart:
                lineStart = i
                if b == Byte.cr { phase = .finalCR; break }
                if b == Byte.lf { i += 1; headEnd = i; return .done }
                // RFC 9112 5.2: obs-fold may be rejected with 400; a first header line that
                // starts with whitespace is rejected the same way (RFC 9112 2.2).
                if Byte.isOWS(b) { return .failed(.obsFold) }
                guard Byte.isToken(b) else { return .failed(.malformedHeaderName) }
                phase = .name
            case .name:
                let end = min(count, limitEnd)
                while i < end && Byte.isToken(byte(i)) { i += 1 }
                if i == end { continue }
                // Whitespace between name and colon is a 400 (RFC 9112 5.1), as is any other byte.
                guard byte(i) == Byte.colon else { return .failed(.malformedHeaderName) }
                nameEnd = i
                phase = .valueLeading
            case .valueLeading:
                if Byte.isOWS(b) { break }
                mark = i
                valueEnd = i
                phase = .value
                continue  // let `.value` judge this byte
            case .value:
                let end = min(count, limitEnd)
                var last = valueEnd
                while i < end {
                    let v = byte(i)
                    // One compare for visible ASCII (0x21...0x7E), the common case.
                    if v &- 0x21 < 0x5E || v >= 0x80 { i += 1; last = i; continue }
                    guard v == Byte.sp else { break }
                    i += 1
                }
                valueEnd = last
                if i == end { continue }
                let v = byte(i)
                if v == Byte.htab { i += 1; continue }
                if v == Byte.cr { phase = .lineCR; break }
                if v == Byte.lf {
                    if let error = endHeaderLine(base) { return .failed(error) }
                    break
                }
                return .failed(.malformedHeaderValue)
            case .lineCR:
                guard b == Byte.lf else { return .failed(.bareCR) }
                if let error = endHeaderLine(base) { return .failed(error) }
            case .finalCR:
                guard b == Byte.lf else { return .failed(.bareCR) }
                i += 1
                headEnd = i
                return .done
            case .idle, .lengthBody, .chunkedBody:
                return .done
            }
            i += 1
        }
        if i >= limitEnd { return .failed(overLimitError()) }
        return .needMore
    }

    /// 414 while still in the request line, 431 in the headers, 400 for endless blank lines.
    func overLimitError() -> HTTPParseError {
        switch phase {
        case .leading, .leadingCR: return .tooManyEmptyLines
        case .method, .targetFirst, .target, .version, .versionMajor, .versionMinor, .requestLineCR:
            return .uriTooLong
        default: return .headerTooLarge
        }
    }

    /// Decides the version once the request line ends: HTTP/1.0 and 1.1 are served, 1.2 to
    /// 1.9 as 1.1 (RFC 9110 2.5: a higher minor of a major we implement is processed as our
    /// highest minor), any other well-formed version gets 505 right away.
    mutating func endRequestLine(_ b: UInt8, at i: Int) -> HTTPParseError? {
        guard versionMajor == 1 else { return .versionNotSupported }
        request.versionMinor = versionMinor == 0 ? 0 : 1
        phase = b == Byte.cr ? .requestLineCR : .lineStart
        return nil
    }

    /// Origin form "/path", asterisk form "*" (OPTIONS only) and absolute form
    /// "scheme://..." are accepted; authority form (CONNECT's) is not.
    func checkTargetForm(_ base: UnsafeMutableRawPointer) -> HTTPParseError? {
        let t = request.target
        let first = base.load(fromByteOffset: t.lowerBound, as: UInt8.self)
        if first == Byte.slash { return nil }
        if first == Byte.star && t.count == 1 {
            return bytesEqual(base, request.method, "OPTIONS") ? nil : .malformedTarget
        }
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://".
        var i = t.lowerBound
        while i < t.upperBound {
            let c = base.load(fromByteOffset: i, as: UInt8.self)
            let isAlpha = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
            if isAlpha || (i > t.lowerBound && (Byte.isDigit(c) || c == 0x2B || c == 0x2D || c == Byte.dot)) {
                i += 1
                continue
            }
            break
        }
        guard i > t.lowerBound, t.upperBound - i >= 3,
              base.load(fromByteOffset: i, as: UInt8.self) == Byte.colon,
              base.load(fromByteOffset: i + 1, as: UInt8.self) == Byte.slash,
              base.load(fromByteOffset: i + 2, as: UInt8.self) == Byte.slash
        else { return .malformedTarget }
        let scheme = t.lowerBound..<i
        guard bytesEqualIgnoringCase(base, scheme, "http") || bytesEqualIgnoringCase(base, scheme, "https")
        else { return .unsupportedScheme }
        // The authority runs to the first "/", "?" or "#" (RFC 3986 3.2); it must name a host
        // (RFC 9110 4.2.1: an http URI with an empty host is invalid) and carry no userinfo.
        var end = i + 3
        while end < t.upperBound {
            let c = base.load(fromByteOffset: end, as: UInt8.self)
            if c == Byte.slash || c == 0x3F || c == 0x23 { break }
            end += 1
        }
        let authority = (i + 3)..<end
        switch HTTPAuthority.check(base, authority) {
        case .userinfo: return .userinfoInTarget
        case .invalid: return .malformedAuthority
        case .valid:
            let hostEnd = authority.firstIndex { base.load(fromByteOffset: $0, as: UInt8.self) == Byte.colon }
            if authority.isEmpty || hostEnd == authority.lowerBound { return .malformedAuthority }
        }
        return nil
    }

    /// The authority of an absolute-form target (checked by `checkTargetForm`), or nil.
    func targetAuthority(_ base: UnsafeMutableRawPointer) -> Range<Int>? {
        let t = request.target
        guard !t.isEmpty, base.load(fromByteOffset: t.lowerBound, as: UInt8.self) != Byte.slash,
              base.load(fromByteOffset: t.lowerBound, as: UInt8.self) != Byte.star else { return nil }
        var start = t.lowerBound
        while base.load(fromByteOffset: start, as: UInt8.self) != Byte.colon { start += 1 }
        start += 3
        var end = start
        while end < t.upperBound {
            let c = base.load(fromByteOffset: end, as: UInt8.self)
            if c == Byte.slash || c == 0x3F || c == 0x23 { break }
            end += 1
        }
        return start..<end
    }

    /// Records the finished header line and applies the semantics of the fields the parser
    /// owns (Host, Content-Length, Transfer-Encoding, Connection, Expect).
    mutating func endHeaderLine(_ base: UnsafeMutableRawPointer) -> HTTPParseError? {
        phase = .lineStart
        guard request.headers.count < limits.maxHeaderCount else { return .tooManyHeaders }
        let name = lineStart..<nameEnd
        let value = mark..<max(mark, valueEnd)
        request.headers.append(HTTPHeaderField(name: name, value: value))
        return applyHeader(base, name: name, value: value)
    }
}
