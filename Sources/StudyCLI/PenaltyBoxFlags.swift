// PenaltyBoxFlags: the penalty box's flags, shared by `serve` and `worker`.
import ArgumentParser
import Isolates

/// `--penalty-box`, `--penalty-box-base-ms`, `--penalty-box-hold-ms`, `--penalty-box-max-held` (see Isolates/PenaltyBox
/// and PenaltyHold).
struct PenaltyBoxFlags: ParsableArguments {
    @Option(help: "Penalty box: a tenant that hits --cpu-limit-ms again is answered 503 (retry-after) without running, for 250 ms doubling per further offence up to 30 s; offences count half after 10 s (on|off).")
    var penaltyBox: Switch = .on

    @Option(help: "The first box's length in milliseconds (a tenant's second CPU-limit stop); each further offence doubles it, up to 30 s.")
    var penaltyBoxBaseMs = 250

    @Option(help: "A boxed tenant's 503 is held back for half of what is left of its box, at most this many milliseconds, so a client hammering it asks about once per hold instead of once per round trip (0 = answered at once).")
    var penaltyBoxHoldMs = 1000

    @Option(help: "Boxed tenants' refusals held back at once per loop; past it they are answered at once with connection: close.")
    var penaltyBoxMaxHeld = 1024

    func validate() throws {
        guard penaltyBoxBaseMs >= 1 else { throw ValidationError("--penalty-box-base-ms must be at least 1, got \(penaltyBoxBaseMs)") }
        guard penaltyBoxHoldMs >= 0 else { throw ValidationError("--penalty-box-hold-ms must not be negative, got \(penaltyBoxHoldMs)") }
        guard penaltyBoxMaxHeld >= 0 else { throw ValidationError("--penalty-box-max-held must not be negative, got \(penaltyBoxMaxHeld)") }
    }

    /// The policy, or nil when the box is off.
    var policy: PenaltyBoxPolicy? {
        guard penaltyBox == .on else { return nil }
        var p = PenaltyBoxPolicy()
        p.baseNanos = penaltyBoxBaseMs * 1_000_000
        p.maxNanos = max(p.maxNanos, p.baseNanos)
        p.holdNanos = penaltyBoxHoldMs * 1_000_000
        p.maxHeld = penaltyBoxMaxHeld
        return p
    }

    /// The same flags as command-line arguments, for worker processes.
    var arguments: [String] {
        ["--penalty-box", penaltyBox.rawValue, "--penalty-box-base-ms", "\(penaltyBoxBaseMs)", "--penalty-box-hold-ms", "\(penaltyBoxHoldMs)",
         "--penalty-box-max-held", "\(penaltyBoxMaxHeld)"]
    }
}
