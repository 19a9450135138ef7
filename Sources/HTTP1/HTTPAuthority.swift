// HTTPAuthority: checks a Host value or an absolute-form target's authority (RFC 3986 3.2).

/// `uri-host [ ":" port ]` as RFC 9110 7.2 (Host) and RFC 9112 3.2.2 (absolute form) define it,
/// judged on bytes. What a tenant gets as `request.url` is built from this, so anything that
/// could carry a path, a space or a second host into the URL is refused here.
enum HTTPAuthority {
    enum Verdict: Equatable { case valid, userinfo, invalid }

    /// `range` must not include the scheme or the path. Empty is valid (RFC 9112 3.2 has the
    /// client send an empty Host when the target has no authority); the caller refuses it
    /// where an authority is required. Stricter than RFC 3986 in one place: a comma, legal in
    /// a reg-name, is refused, because `a, b` is how a proxy joins two Host lines into one
    /// (RFC 9110 5.3) and no DNS name holds one.
    static func check(_ base: UnsafeRawPointer, _ range: Range<Int>) -> Verdict {
        @inline(__always) func byte(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
        var i = range.lowerBound
        let end = range.upperBound
        guard i < end else { return .valid }
        for k in range where byte(k) == Byte.at { return .userinfo }
        if byte(i) == 0x5B {  // IP-literal: "[" ( IPv6address / IPvFuture ) "]"
            i += 1
            let future = i < end && (byte(i) | 0x20) == 0x76
            let first = i
            while i < end && byte(i) != 0x5D {
                let b = byte(i)
                let ok = future ? (isUnreserved(b) || isSubDelim(b) || b == Byte.colon)
                                : (Byte.hexValue(b) != nil || b == Byte.colon || b == Byte.dot)
                guard ok else { return .invalid }
                i += 1
            }
            guard i < end, i - first >= 2 else { return .invalid }
            i += 1
        } else {  // reg-name / IPv4address: unreserved, pct-encoded, sub-delims but ","
            while i < end && byte(i) != Byte.colon {
                let b = byte(i)
                if b == Byte.percent {
                    guard i + 2 < end, Byte.hexValue(byte(i + 1)) != nil, Byte.hexValue(byte(i + 2)) != nil
                    else { return .invalid }
                    i += 3
                    continue
                }
                guard isUnreserved(b) || (isSubDelim(b) && b != Byte.comma) else { return .invalid }
                i += 1
            }
        }
        guard i < end else { return .valid }
        guard byte(i) == Byte.colon else { return .invalid }
        i += 1
        while i < end {
            guard Byte.isDigit(byte(i)) else { return .invalid }
            i += 1
        }
        return .valid
    }

    /// ALPHA / DIGIT / "-" / "." / "_" / "~"
    @inline(__always) static func isUnreserved(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return (l >= 0x61 && l <= 0x7A) || Byte.isDigit(b) || b == 0x2D || b == Byte.dot || b == 0x5F || b == 0x7E
    }

    /// "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
    @inline(__always) static func isSubDelim(_ b: UInt8) -> Bool {
        switch b {
        case 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D: return true
        default: return false
        }
    }
}
