// ZipfSampler: picks tenant K of N with probability proportional to 1/(K+1)^s, deterministically.

/// Draws tenant indexes 0..<count from a Zipf distribution with exponent `exponent` (0 is
/// uniform). The CDF is computed once, so a draw is one random number and a binary search:
/// no allocation on the request path. The generator is SplitMix64 with a fixed seed, so two
/// runs with the same settings hit the same tenants in the same order.
public struct ZipfSampler: Sendable {
    public let count: Int
    public let exponent: Double
    let cdf: [Double]
    var state: UInt64

    public init(count: Int, exponent: Double, seed: UInt64 = 0x15_0_1_2_6) {
        precondition(count >= 1, "ZipfSampler needs at least one item")
        self.count = count
        self.exponent = exponent
        var weights = [Double](repeating: 0, count: count)
        var sum = 0.0
        for k in 0..<count {
            let w = 1.0 / pow(Double(k + 1), exponent)
            sum += w
            weights[k] = sum
        }
        cdf = weights.map { $0 / sum }
        state = seed
    }

    /// The probability of item `k` (for tests and reports).
    public func probability(_ k: Int) -> Double {
        k == 0 ? cdf[0] : cdf[k] - cdf[k - 1]
    }

    /// The next item index.
    @inline(__always)
    public mutating func next() -> Int {
        let u = nextUnit()
        var lo = 0
        var hi = count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// A uniform Double in [0, 1).
    @inline(__always)
    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}

#if canImport(Glibc)
import Glibc
#endif
