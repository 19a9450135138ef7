// ParserRobustnessTests: random and mutated input, split at random points, never traps.

import Testing
@testable import HTTP1

/// SplitMix64: a deterministic generator, so a failure reproduces from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ParserRobustnessTests {
    static let interesting: [UInt8] = Array(" \t\r\n:;,0123456789aAfF/\u{7F}".utf8) + [0, 1, 0x80, 0xFF]

    /// Mutates a valid request: flips, inserts, deletes and duplicates bytes.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let pick = Int.random(in: 0..<4, using: &rng)
            let at = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &rng)
            let byte = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            switch pick {
            case 0 where !out.isEmpty: out[at] = byte
            case 1: out.insert(byte, at: at)
            case 2 where !out.isEmpty: out.remove(at: at)
            default:
                let end = min(out.count, at + Int.random(in: 0...8, using: &rng))
                out.insert(contentsOf: out[at..<end], at: at)
            }
        }
        return out
    }

    /// Feeds `bytes` split at random points through a connection buffer, consuming complete
    /// requests, and checks every result is sane.
    static func feed(_ bytes: [UInt8], _ rng: inout SplitMix64, limits: HTTPLimits) {
        let buffer = ConnectionBuffer(limits: limits, capacity: 16)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...40, using: &rng))
            buffer.append(bytes[start..<end])
            start = end
            var rounds = 0
            loop: while rounds < 100 {
                rounds += 1
                let before = buffer.count
                let raw = UnsafeMutableRawBufferPointer(start: buffer.storage, count: buffer.count)
                switch buffer.parser.parse(raw) {
                case .incomplete: break loop
                case .failed(let error):
                    #expect([400, 413, 414, 431, 501, 505].contains(error.status))
                    return
                case .complete(let consumed):
                    let r = buffer.parser.request
                    #expect(consumed > 0 && consumed <= before)
                    for range in [r.method, r.target, r.body] + r.headers.flatMap({ [$0.name, $0.value] }) {
                        #expect(range.lowerBound >= 0 && range.upperBound <= consumed)
                    }
                    buffer.consume(consumed)
                    if buffer.count == 0 { break loop }
                }
            }
        }
    }

    @Test func neverTrapsOnMutatedRequestsSplitAtRandomPoints() {
        var rng = SplitMix64(state: 0x1505_1A11)
        let limits = HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 256)
        let seeds = splitSamples.map { Array($0.utf8) } + [
            Array("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n".utf8),
            Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd".utf8),
        ]
        for _ in 0..<4000 {
            let seed = seeds.randomElement(using: &rng)!
            Self.feed(Self.mutate(seed, &rng), &rng, limits: limits)
        }
    }

    @Test func neverTrapsOnRandomBytes() {
        var rng = SplitMix64(state: 42)
        let limits = HTTPLimits(maxHeaderBytes: 256, maxHeaderCount: 4, maxBodyBytes: 64)
        for _ in 0..<2000 {
            let n = Int.random(in: 0...300, using: &rng)
            let alphabet = Bool.random(using: &rng)
            let bytes = (0..<n).map { _ in
                alphabet ? Self.interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            Self.feed(bytes, &rng, limits: limits)
        }
    }

    @Test func neverTrapsWhenGivenAShorterBufferThanBefore() {
        var parser = HTTPRequestParser()
        var long = Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab".utf8)
        #expect(long.withUnsafeMutableBytes { parser.parse($0) } == .incomplete)
        var short = Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        #expect(short.withUnsafeMutableBytes { parser.parse($0) } == .complete(consumed: short.count))
        #expect(parser.parse(UnsafeMutableRawBufferPointer(start: nil, count: 0)) == .incomplete)
    }
}
