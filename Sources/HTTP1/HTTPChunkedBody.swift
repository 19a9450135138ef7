// HTTPChunkedBody: validates a chunked body as it arrives, then decodes it in place at once.

enum ChunkScan {
    case needMore
    case failed(HTTPParseError)
    /// The body, trailers included, ends just before this offset.
    case done(end: Int)
}

/// One parsed chunk-size line.
enum ChunkLine {
    case needMore
    case failed(HTTPParseError)
    case line(size: Int, dataStart: Int)
}

extension HTTPRequestParser {
    /// Walks the chunk framing from `chunkOffset` without writing anything, so a call that
    /// ends in `.needMore` leaves the bytes as the peer sent them. The walk resumes at the
    /// last complete chunk (or trailer line), so data is never rescanned, only jumped over.
    mutating func scanChunked(_ base: UnsafeMutableRawPointer, _ count: Int) -> ChunkScan {
        while true {
            if inTrailers {
                // Trailers are scanned no further than their limit, so the answer is the same
                // however the bytes arrive: a bad byte inside the limit is a 400, running past
                // it a 431 (found by Fuzz/FuzzRequestParser: a whole buffer used to be scanned
                // past the limit to a bad byte, a trickled one stopped at the limit).
                let limitEnd = trailerStart + limits.maxHeaderBytes
                switch trailerLine(base, min(count, limitEnd), at: chunkOffset) {
                case .needMore:
                    return count >= limitEnd ? .failed(.trailersTooLarge) : .needMore
                case .failed(let error): return .failed(error)
                case .line(let size, let next):
                    if next - trailerStart > limits.maxHeaderBytes { return .failed(.trailersTooLarge) }
                    chunkOffset = next
                    if size == 0 { return .done(end: next) }
                }
                continue
            }
            switch Self.chunkSizeLine(base, count, at: chunkOffset) {
            case .needMore: return .needMore
            case .failed(let error): return .failed(error)
            case .line(let size, let dataStart):
                if size > limits.maxBodyBytes - chunkDecodedBytes { return .failed(.bodyTooLarge) }
                if size == 0 {
                    inTrailers = true
                    trailerStart = dataStart
                    chunkOffset = dataStart
                    continue
                }
                switch Self.lineEnd(base, count, at: dataStart + size) {
                case .needMore: return .needMore
                case .failed(let error): return .failed(error)
                case .line(_, let next):
                    chunkDecodedBytes += size
                    chunkOffset = next
                }
            }
        }
    }

    /// Moves every chunk's data down to sit contiguously after the head (memmove: the regions
    /// overlap). The framing was validated by `scanChunked`, so this pass cannot fail.
    func decodeChunked(_ base: UnsafeMutableRawPointer, _ count: Int) -> Range<Int> {
        var write = headEnd
        var read = headEnd
        while case .line(let size, let dataStart) = Self.chunkSizeLine(base, count, at: read), size > 0 {
            (base + write).copyMemory(from: UnsafeRawPointer(base + dataStart), byteCount: size)
            write += size
            guard case .line(_, let next) = Self.lineEnd(base, count, at: dataStart + size) else { break }
            read = next
        }
        return headEnd..<write
    }

    /// `chunk-size [chunk-ext] CRLF` (RFC 9112 7.1): hex digits, then extensions, which are
    /// checked against the grammar (`*( BWS ";" BWS token [ BWS "=" BWS ( token /
    /// quoted-string ) ] )`), bounded in length and otherwise ignored. Anything else after the
    /// size (stray text, a bare LF) is refused: lenient chunk lines are a known way to make
    /// two parsers disagree on where a body ends.
    static func chunkSizeLine(_ base: UnsafeRawPointer, _ count: Int, at start: Int) -> ChunkLine {
        var i = start
        var size = 0
        let end = min(count, start + maxChunkLineBytes)
        while i < end, let digit = Byte.hexValue(base.load(fromByteOffset: i, as: UInt8.self)) {
            let (times16, o1) = size.multipliedReportingOverflow(by: 16)
            let (sum, o2) = times16.addingReportingOverflow(digit)
            if o1 || o2 { return .failed(.chunkSizeOverflow) }
            size = sum
            i += 1
        }
        if i == count { return .needMore }
        if i == start || i == end { return .failed(.malformedChunk) }
        switch ChunkExtensions.scan(base, from: i, to: end) {
        case .needMore: return end == count ? .needMore : .failed(.malformedChunk)
        case .failed: return .failed(.malformedChunk)
        case .line(_, let lineEndAt): i = lineEndAt
        }
        switch lineEnd(base, count, at: i) {
        case .line(_, let next): return .line(size: size, dataStart: next)
        case let other: return other
        }
    }

    /// Expects CRLF at `at`; `.line(size: 0, dataStart:)` gives the offset after it. Unlike
    /// the head, the chunked framing takes no lone LF (RFC 9112 7.1 writes CRLF, and the
    /// leniency of 2.2 is a "MAY" we decline where it decides a body's length).
    static func lineEnd(_ base: UnsafeRawPointer, _ count: Int, at: Int) -> ChunkLine {
        guard at < count else { return .needMore }
        let b = base.load(fromByteOffset: at, as: UInt8.self)
        guard b == Byte.cr else { return .failed(b == Byte.lf ? .bareLFInChunk : .malformedChunk) }
        guard at + 1 < count else { return .needMore }
        guard base.load(fromByteOffset: at + 1, as: UInt8.self) == Byte.lf else { return .failed(.bareCR) }
        return .line(size: 0, dataStart: at + 2)
    }

    /// One trailer line: the empty line that ends the body gives `size: 0`, a field line
    /// (`name: value`, discarded) gives `size: 1`; `dataStart` is the offset after it.
    func trailerLine(_ base: UnsafeRawPointer, _ count: Int, at start: Int) -> ChunkLine {
        guard start < count else { return .needMore }
        let first = base.load(fromByteOffset: start, as: UInt8.self)
        if first == Byte.cr || first == Byte.lf {
            guard case .line(_, let next) = Self.lineEnd(base, count, at: start) else {
                return Self.lineEnd(base, count, at: start)
            }
            return .line(size: 0, dataStart: next)
        }
        if Byte.isOWS(first) { return .failed(.obsFold) }
        var i = start
        while i < count && Byte.isToken(base.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
        if i == count { return .needMore }
        guard i > start, base.load(fromByteOffset: i, as: UInt8.self) == Byte.colon else {
            return .failed(.malformedHeaderName)
        }
        i += 1
        while i < count {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == Byte.cr || b == Byte.lf { break }
            guard Byte.isFieldValueByte(b) else { return .failed(.malformedHeaderValue) }
            i += 1
        }
        switch Self.lineEnd(base, count, at: i) {
        case .line(_, let next): return .line(size: 1, dataStart: next)
        case let other: return other
        }
    }
}
