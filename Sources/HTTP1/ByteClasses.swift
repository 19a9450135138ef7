// ByteClasses: the RFC 9110/9112 character classes the parser tests bytes against.

/// Byte constants and classes, as small switches (the compiler turns them into range tests,
/// and no lookup table means no lazy global initialisation on the hot path).
@usableFromInline enum Byte {
    @inline(__always) static var cr: UInt8 { 0x0D }
    @inline(__always) static var lf: UInt8 { 0x0A }
    @inline(__always) static var sp: UInt8 { 0x20 }
    @inline(__always) static var htab: UInt8 { 0x09 }
    @inline(__always) static var colon: UInt8 { 0x3A }
    @inline(__always) static var comma: UInt8 { 0x2C }
    @inline(__always) static var semicolon: UInt8 { 0x3B }
    @inline(__always) static var slash: UInt8 { 0x2F }
    @inline(__always) static var dot: UInt8 { 0x2E }
    @inline(__always) static var star: UInt8 { 0x2A }
    @inline(__always) static var equals: UInt8 { 0x3D }
    @inline(__always) static var quote: UInt8 { 0x22 }
    @inline(__always) static var backslash: UInt8 { 0x5C }
    @inline(__always) static var at: UInt8 { 0x40 }
    @inline(__always) static var percent: UInt8 { 0x25 }

    /// tchar (RFC 9110 5.6.2): ALPHA / DIGIT / "!#$%&'*+-.^_`|~", as a 128-bit bitmap
    /// (two constants and a shift: branch-light, no table to initialise).
    @inline(__always) static func isToken(_ b: UInt8) -> Bool {
        if b < 64 { return (0x03FF6CFA00000000 as UInt64) >> UInt64(b) & 1 != 0 }
        if b < 128 { return (0x57FFFFFFC7FFFFFE as UInt64) >> UInt64(b - 64) & 1 != 0 }
        return false
    }

    /// A byte allowed in a request target: visible ASCII or obs-text (as nginx allows UTF-8
    /// paths); never whitespace, DEL or another control character.
    @inline(__always) static func isTargetByte(_ b: UInt8) -> Bool { b > 0x20 && b != 0x7F }

    /// A byte allowed in a field value (RFC 9110 5.5): visible, SP, HTAB or obs-text.
    @inline(__always) static func isFieldValueByte(_ b: UInt8) -> Bool {
        (b >= 0x20 && b != 0x7F) || b == htab
    }

    @inline(__always) static func isOWS(_ b: UInt8) -> Bool { b == sp || b == htab }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always) static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }

    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }
}

/// Case-insensitive comparison of `range` in `base` against a lowercase ASCII literal.
@inline(__always)
func bytesEqualIgnoringCase(_ base: UnsafeRawPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
    guard range.count == literal.utf8CodeUnitCount else { return false }
    let lit = literal.utf8Start
    var i = 0
    while i < range.count {
        if Byte.lowercased(base.load(fromByteOffset: range.lowerBound + i, as: UInt8.self)) != lit[i] {
            return false
        }
        i += 1
    }
    return true
}

/// Exact (case-sensitive) comparison, for methods, which are case-sensitive.
@inline(__always)
func bytesEqual(_ base: UnsafeRawPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
    guard range.count == literal.utf8CodeUnitCount else { return false }
    let lit = literal.utf8Start
    var i = 0
    while i < range.count {
        if base.load(fromByteOffset: range.lowerBound + i, as: UInt8.self) != lit[i] { return false }
        i += 1
    }
    return true
}
