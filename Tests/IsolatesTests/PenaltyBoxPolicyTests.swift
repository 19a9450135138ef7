// PenaltyBoxPolicyTests: the backoff grows with repeat offences, is capped, and decays.
import Testing
@testable import Isolates

@Suite("penalty box policy")
struct PenaltyBoxPolicyTests {
    let second = 1_000_000_000

    @Test func firstOffenceIsFreeThenTheBoxDoubles() {
        var box = PenaltyBox()
        #expect(box.offence("t", now: 0) == 0)
        #expect(box.remainingNanos("t", now: 1) == 0)
        let first = box.offence("t", now: 1)
        #expect(first == PenaltyBoxPolicy().baseNanos)
        let second = box.offence("t", now: 2)
        #expect(second == 2 * first)
        #expect(box.remainingNanos("t", now: 3) > 0)
        #expect(box.remainingNanos("other", now: 3) == 0)
    }

    @Test func backoffIsCapped() {
        var box = PenaltyBox()
        var last = 0
        for i in 0..<200 { last = box.offence("t", now: i) }
        #expect(last == PenaltyBoxPolicy().maxNanos)
    }

    @Test func offencesDecay() {
        var box = PenaltyBox()
        _ = box.offence("t", now: 0)
        _ = box.offence("t", now: 0)
        #expect(box.score("t", now: 0) == 2)
        let boxEnd = PenaltyBoxPolicy().baseNanos
        #expect(box.score("t", now: boxEnd) == 2)   // no decay while boxed
        #expect(abs(box.score("t", now: boxEnd + 10 * second) - 1) < 1e-9)   // one half-life after the box
        // After a long quiet spell one more offence is a first offence again: no box.
        #expect(box.offence("t", now: 100 * second) == 0)
        box.forget(now: 200 * second)
        #expect(box.isEmpty)
    }
}
