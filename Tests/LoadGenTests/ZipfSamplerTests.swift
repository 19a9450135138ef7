// ZipfSamplerTests: the tenant mix follows its distribution and is repeatable.
import Testing
@testable import LoadGen

@Suite struct ZipfSamplerTests {
    @Test func exponentZeroIsUniform() {
        var z = ZipfSampler(count: 10, exponent: 0, seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[z.next()] += 1 }
        for c in counts { #expect(abs(c - 10_000) < 600) }
    }

    @Test func frequenciesFollowOneOverRankToTheS() {
        var z = ZipfSampler(count: 1000, exponent: 1.1, seed: 7)
        var counts = [Int](repeating: 0, count: 1000)
        let draws = 200_000
        for _ in 0..<draws { counts[z.next()] += 1 }
        for k in [0, 1, 9] {
            let expected = z.probability(k) * Double(draws)
            #expect(abs(Double(counts[k]) - expected) < 0.05 * expected + 50)
        }
        // Rank 1 is 2^1.1 times as likely as rank 2.
        #expect(abs(z.probability(0) / z.probability(1) - pow(2, 1.1)) < 1e-9)
        // The long tail is hit, but rarely: that is what forces cold starts.
        #expect(counts[500...].reduce(0, +) > 0)
        #expect(counts[500...].reduce(0, +) < counts[0])
    }

    @Test func sameSeedSameSequence() {
        var a = ZipfSampler(count: 50, exponent: 1.0, seed: 42)
        var b = ZipfSampler(count: 50, exponent: 1.0, seed: 42)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
