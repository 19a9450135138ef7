// IsolateRuntime+PenaltyBox: refusing boxed tenants and boxing repeat CPU-limit offenders.
import HTTP1
import Platform

extension IsolateRuntime {
    /// Refuses a boxed tenant's request with 503 and `retry-after` without entering
    /// JavaScript: held back on the loop's timers (PenaltyHold: the runtime returns pending)
    /// or written to `out` at once. Returns the status (503, or `Isolate.pendingStatus` when
    /// held), or nil when `name` may run. Refusals are counted, not logged (a hammering client
    /// would flood the log); entering the box is logged once.
    func refuseIfBoxed(_ name: String, _ request: HTTPRequest, _ keepAlive: Bool, _ out: OutputBuffer) -> Int? {
        let now = Int(monotonicNanos())
        let left = penalties.remainingNanos(name, now: now)
        guard left > 0 else { return nil }
        stats.penaltyBoxRefusalsTotal += 1
        let outcome = hold.hold(currentResponse, boxedUntil: now + left, now: now)
        stats.penaltyBoxHeld = hold.count
        stats.penaltyBoxHoldOverflowTotal = hold.overflowTotal
        switch outcome {
        case .held:
            return Isolate.pendingStatus
        case .now:
            return PenaltyHold.writeRefusal(retryAfterNanos: left, keepAlive: keepAlive, isHead: request.isHead, into: out)
        case .nowAndClose:
            if let handle = currentResponse { handle.sink.endConnection(after: handle) }
            return PenaltyHold.writeRefusal(retryAfterNanos: left, keepAlive: false, isHead: request.isHead, into: out)
        }
    }

    /// Records a CPU-limit stop of `name`; boxes the tenant when it is a repeat offender.
    func penalise(_ name: String) {
        guard options.penaltyBox != nil else { return }
        let now = Int(monotonicNanos())
        let length = penalties.offence(name, now: now)
        guard length > 0 else { return }
        stats.penaltyBoxEntriesTotal += 1
        let score = penalties.score(name, now: now)
        logger.tenant(name).warning("penalty box: CPU time limit hit again (offence score \(Int(score * 10) / 10).\(Int(score * 10) % 10)); requests refused with 503 for \(length / 1_000_000) ms")
    }

    /// Lowers the CPU limit for a repeat offender's run (its group's watchdog; with a shared
    /// group the loop runs one request at a time, so no other tenant sees the lower limit).
    /// Returns whether it did; `endProbation` restores the limit after the run.
    func beginProbation(_ name: String, _ isolate: Isolate) -> Bool {
        guard let policy = options.penaltyBox, options.cpuLimitMs > 0,
              penalties.onProbation(name, now: Int(monotonicNanos())) else { return false }
        let ms = max(1, options.cpuLimitMs / max(1, policy.probationDivisor))
        isolate.setCPULimit(ms: ms)
        return true
    }

    func endProbation(_ isolate: Isolate) { isolate.setCPULimit(ms: options.cpuLimitMs) }
}
