// PenaltyBox: tenants that keep hitting the CPU limit are refused for a while without running.
import Glibc

/// A tenant that runs into its CPU limit again and again costs its loop `cpuLimitMs` of CPU per
/// request, which every other tenant on the loop waits behind. The penalty box answers such a
/// tenant 503 at once, without entering JavaScript, for a backoff that doubles with each
/// offence and forgets offences over time.
///
/// Offences are a score that halves every `halfLifeNanos` out of the box; each CPU-limit stop adds 1. A first
/// stop costs nothing more (a handler can be slow once); from a score of 2 on (rounded) the
/// tenant is boxed for `baseNanos * 2^(score - 2)`, at most `maxNanos`. A tenant hammered with runaway
/// requests therefore runs its code once per backoff, and the backoff grows to the maximum;
/// one that stops misbehaving is back to a clean slate after a few half-lives.
///
/// Only offenders have an entry, so a server without them pays one `isEmpty` per request.
/// Time is passed in (monotonic nanoseconds), so the policy is tested without sleeping.
struct PenaltyBox {
    struct Record {
        var score: Double
        var scoredAt: Int
        var boxedUntil: Int
    }

    let policy: PenaltyBoxPolicy
    private(set) var records: [String: Record] = [:]

    init(policy: PenaltyBoxPolicy = PenaltyBoxPolicy()) { self.policy = policy }

    var isEmpty: Bool { records.isEmpty }

    /// Nanoseconds `tenant` stays boxed after `now`, or 0 when it may run.
    func remainingNanos(_ tenant: String, now: Int) -> Int {
        guard let r = records[tenant], r.boxedUntil > now else { return 0 }
        return r.boxedUntil - now
    }

    /// Records a CPU-limit stop; returns the new box length in nanoseconds (0 = not boxed).
    mutating func offence(_ tenant: String, now: Int) -> Int {
        var r = records[tenant] ?? Record(score: 0, scoredAt: now, boxedUntil: 0)
        r.score = decayed(r, now: now) + 1
        r.scoredAt = now
        var length = 0
        // Offences are whole events: round the decayed score, so a second stop within about a
        // half-life boxes for `baseNanos`, a third for twice that, and so on.
        let offences = Int((r.score + 0.5).rounded(.down))
        if offences >= 2 {
            let doublings = Double(min(offences - 2, 40))
            length = Int(min(Double(policy.maxNanos), Double(policy.baseNanos) * exp2(doublings)))
            r.boxedUntil = now + length
        }
        records[tenant] = r
        return length
    }

    /// Forgets tenants whose score has decayed below 0.1 and who are not boxed (call now and
    /// then, off the request path).
    mutating func forget(now: Int) {
        records = records.filter { $0.value.boxedUntil > now || decayed($0.value, now: now) >= 0.1 }
    }

    /// True for a repeat offender (two or more stops not yet decayed): its runs between boxes
    /// get `PenaltyBoxPolicy.probationDivisor` less CPU time, so each one stalls the loop less.
    func onProbation(_ tenant: String, now: Int) -> Bool { score(tenant, now: now) >= 1.5 }

    /// Score of `tenant` at `now` (0 without a record).
    func score(_ tenant: String, now: Int) -> Double { records[tenant].map { decayed($0, now: now) } ?? 0 }

    /// Offences decay only after the box ends: a tenant refused all along has not shown it
    /// behaves, so a hammered runaway's backoff keeps doubling up to `maxNanos` (decaying from
    /// the last offence held a hammered `for (;;) {}` near a 2-4 s backoff).
    private func decayed(_ r: Record, now: Int) -> Double {
        let since = max(r.scoredAt, r.boxedUntil)
        return r.score * exp2(-Double(max(0, now - since)) / Double(policy.halfLifeNanos))
    }
}

/// The penalty box's backoff (`isoring serve --penalty-box-*`): first box `baseNanos`, doubled
/// per further offence up to `maxNanos`; offences count half after `halfLifeNanos`.
public struct PenaltyBoxPolicy: Sendable, Equatable {
    public var baseNanos = 250_000_000
    public var maxNanos = 30_000_000_000
    public var halfLifeNanos = 10_000_000_000
    /// A tenant on probation runs with `cpuLimitMs / probationDivisor` (at least 1 ms).
    public var probationDivisor = 10
    /// A refusal is held back for half of what is left of the box, at most this long
    /// (`--penalty-box-hold-ms`; 0 = answered at once); see PenaltyHold.
    public var holdNanos = 1_000_000_000
    /// Refusals held at once per runtime; past it they are answered at once with
    /// `connection: close` (`--penalty-box-max-held`).
    public var maxHeld = 1024
    public init() {}
}
