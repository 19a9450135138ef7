// UTF16Scratch: UTF-8 <-> UTF-16 transcoding into stack or scratch memory for JSStringRef.

enum UTF16Scratch {
    /// Decodes UTF-8 `bytes` into UTF-16 code units (U+FFFD for invalid input) in a temporary
    /// buffer and calls `body` with them. Small inputs use the stack.
    static func withUTF16<R>(of bytes: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt16>) -> R) -> R {
        // UTF-16 never needs more code units than UTF-8 has bytes.
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: max(bytes.count, 1)) { out in
            var n = 0
            var ascii = true
            for b in bytes where b >= 0x80 { ascii = false; break }
            if ascii {
                for b in bytes { out[n] = UInt16(b); n += 1 }
            } else {
                var it = bytes.makeIterator()
                var decoder = UTF8()
                loop: while true {
                    switch decoder.decode(&it) {
                    case .scalarValue(let s):
                        for unit in UTF16.encode(s)! { out[n] = unit; n += 1 }
                    case .emptyInput: break loop
                    case .error: out[n] = 0xFFFD; n += 1
                    }
                }
            }
            return body(UnsafeBufferPointer(rebasing: out[0..<n]))
        }
    }

    /// Encodes UTF-16 `units` as UTF-8 into `out` (room for 3 bytes per unit), lone
    /// surrogates as U+FFFD; returns the byte count.
    static func encodeUTF8(_ units: UnsafeBufferPointer<UInt16>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        var i = 0
        let count = units.count
        while i < count {
            var c = UInt32(units[i])
            i += 1
            if c < 0x80 { out[n] = UInt8(c); n += 1; continue }
            if c >= 0xD800 && c <= 0xDFFF {
                if c <= 0xDBFF, i < count, units[i] >= 0xDC00, units[i] <= 0xDFFF {
                    c = 0x10000 + ((c - 0xD800) << 10) + (UInt32(units[i]) - 0xDC00)
                    i += 1
                } else {
                    c = 0xFFFD
                }
            }
            if c < 0x800 {
                out[n] = UInt8(0xC0 | (c >> 6)); out[n + 1] = UInt8(0x80 | (c & 0x3F)); n += 2
            } else if c < 0x10000 {
                out[n] = UInt8(0xE0 | (c >> 12)); out[n + 1] = UInt8(0x80 | ((c >> 6) & 0x3F))
                out[n + 2] = UInt8(0x80 | (c & 0x3F)); n += 3
            } else {
                // A surrogate pair is two units, so four bytes fit in the 3-per-unit budget.
                out[n] = UInt8(0xF0 | (c >> 18)); out[n + 1] = UInt8(0x80 | ((c >> 12) & 0x3F))
                out[n + 2] = UInt8(0x80 | ((c >> 6) & 0x3F)); out[n + 3] = UInt8(0x80 | (c & 0x3F)); n += 4
            }
        }
        return n
    }
}
