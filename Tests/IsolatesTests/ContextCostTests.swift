// ContextCostTests: prints what each step of a new context costs, the old eager prelude
// against the current one (run in release for Kernel-notes/isolates.md).
import Foundation
import Testing
import JSCGlue
import Platform
@testable import Isolates

/// A measurement, not a check: it runs only when asked for (ISORING_MEASURE=1), and then
/// checks that every step was timed for every context.
@Test(.enabled(if: ProcessInfo.processInfo.environment["ISORING_MEASURE"] != nil,
               "a measurement for Kernel-notes/isolates.md: run with ISORING_MEASURE=1 (release build)"))
func contextCostBreakdownPrints() throws {
    var rows: [String: [Int]] = [:]
    var keep: [AnyObject] = []
    for _ in 0..<200 {
        var t = Int(monotonicNanos())
        func lap(_ k: String) { let n = Int(monotonicNanos()); rows[k, default: []].append(n - t); t = n }
        let g = JSCContextGroup()
        lap("a1 group create")
        let c = JSCContext(group: g)
        lap("a2 global context create")
        _ = try c.evaluate(URLPrelude.source)
        lap("a3 eager URL prelude (String source)")
        let f = try c.evaluate(WorkersPrelude.source)
        lap("a4 Workers prelude evaluate (String source)")
        let hooks = try c.call(f, c.makeObject())
        lap("a5 Workers prelude factory call")
        _ = try c.call(c.property(hooks, "warmUp"))
        lap("a6 warm-up call")
        _ = c.memoryUsage()
        lap("a7 JSGetMemoryUsageStatistics, fresh context")
        _ = c.heapCapacityBytes()
        lap("a8 heapCapacityBytes, fresh context")
        keep.append(c)

        var timing = ColdStart(tenant: "x")
        t = Int(monotonicNanos())
        let iso = try Isolate(name: "x", cpuLimitMs: 50, logger: .lines { _ in }, coldStart: &timing)
        lap("b0 Isolate init total (lazy URL)")
        rows["b1 Isolate contextCreate", default: []].append(timing.contextCreateNanos)
        rows["b2 Isolate preludeInstall", default: []].append(timing.preludeInstallNanos)
        iso.warmUp()
        lap("b3 Isolate warmUp")
        try iso.load(script: "export default { fetch() { return new Response('x'); } };")
        lap("b4 Isolate load small script")
        keep.append(iso)
    }
    #expect(rows.count == 13 && rows.values.allSatisfy { $0.count == 200 && $0.allSatisfy { $0 >= 0 } })
    for k in rows.keys.sorted() {
        print("COST \(k): p50 \(percentile(rows[k]!, 0.5) / 1000) µs, p99 \(percentile(rows[k]!, 0.99) / 1000) µs")
    }
}
