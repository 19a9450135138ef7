// ChunkExtensions: the grammar of a chunk line's extensions (RFC 9112 7.1.1), checked, not kept.

enum ChunkExtensions {
    /// Scans `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) BWS` from `from`
    /// and stops at the CR that must end the line: `.line(size: 0, dataStart: offsetOfCR)`.
    /// `.needMore` when `to` is reached first; `.failed` at the first byte out of grammar
    /// (a bare LF included).
    static func scan(_ base: UnsafeRawPointer, from: Int, to end: Int) -> ChunkLine {
        var i = from
        @inline(__always) func byte(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
        @inline(__always) func skipOWS() { while i < end && Byte.isOWS(byte(i)) { i += 1 } }
        @inline(__always) func token() -> Bool {
            let first = i
            while i < end && Byte.isToken(byte(i)) { i += 1 }
            return i > first
        }
        while true {
            skipOWS()
            guard i < end else { return .needMore }
            if byte(i) == Byte.cr { return .line(size: 0, dataStart: i) }
            guard byte(i) == Byte.semicolon else { return .failed(.malformedChunk) }
            i += 1
            skipOWS()
            guard token() else { return i < end ? .failed(.malformedChunk) : .needMore }
            skipOWS()
            guard i < end else { return .needMore }
            guard byte(i) == Byte.equals else { continue }
            i += 1
            skipOWS()
            guard i < end else { return .needMore }
            if byte(i) == Byte.quote {
                i += 1
                var closed = false
                while i < end {
                    let b = byte(i)
                    if b == Byte.quote { i += 1; closed = true; break }
                    if b == Byte.backslash {
                        i += 1
                        guard i < end else { break }
                        guard Byte.isFieldValueByte(byte(i)) else { return .failed(.malformedChunk) }
                    } else if !Byte.isFieldValueByte(b) {
                        return .failed(.malformedChunk)
                    }
                    i += 1
                }
                if !closed { return .needMore }
            } else if !token() {
                return i < end ? .failed(.malformedChunk) : .needMore
            }
        }
    }
}
