// ContextCostTests: prints what each step of a new context costs (run in release for the note).
import Testing
import JSCGlue
@testable import Isolates

@Test func contextCostBreakdownPrints() throws {
    var rows: [String: [Int]] = [:]
    var keep: [(JSCContextGroup, JSCContext)] = []
    for _ in 0..<200 {
        var t = monotonicNanos()
        func lap(_ k: String) { let n = monotonicNanos(); rows[k, default: []].append(n - t); t = n }
        let g = JSCContextGroup()
        lap("1 group create")
        let c = JSCContext(group: g)
        lap("2 global context create")
        _ = try c.evaluate("1")
        lap("3 first evaluate '1'")
        _ = try c.evaluate(URLPrelude.source)
        lap("4 URL prelude")
        let f = try c.evaluate(WorkersPrelude.source)
        lap("5 Workers prelude evaluate")
        _ = try c.call(f, c.makeObject())
        lap("6 Workers prelude factory call")
        keep.append((g, c))
    }
    for k in rows.keys.sorted() { print("\(k): p50 \(percentile(rows[k]!, 0.5) / 1000) µs") }
}
