// MapBudgetTests: new contexts are refused with a 503 and a log line before the process reaches
// its memory-mapping limit, and tenants already running go on serving.
import Testing
@testable import Isolates

/// A limit that leaves `room` mappings above `count` once the budget's headroom is kept free.
private func limit(leaving room: Int, above count: Int) -> Int {
    var l = count + room
    while l - MapBudget.headroom(for: l) < count + room { l += 1 }
    return l
}

@Test func newTenantsAreRefusedNearTheMappingLimitAndLiveOnesGoOn() throws {
    var scripts: [String: String] = [:]
    for i in 0..<40 { scripts["t\(i)"] = "export default { fetch() { return new Response('t\(i)'); } };" }
    var options = IsolateOptions()
    // Room for a few contexts above what the process maps now.
    options.maxMapCount = limit(leaving: 40, above: MapBudget.countMappings())
    let f = try Fixture(scripts, options: options)
    var statuses: [Int] = []
    for i in 0..<40 { statuses.append(f.send("GET", "/t\(i)/").status) }
    let refused = statuses.filter { $0 == 503 }.count
    #expect(refused > 0, "every context was admitted: \(statuses)")
    #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 })
    #expect(f.runtime.stats.mapLimitRefusalsTotal == refused)
    #expect(f.logs.contains("vm.max_map_count"))
    // Refused tenants were not half-created, and the live ones still answer.
    #expect(f.runtime.tenantCount == 40 - refused)
    if let first = statuses.firstIndex(of: 200) { #expect(f.send("GET", "/t\(first)/").text == "t\(first)") }
}

@Test func mapBudgetRefusesWhenTheCountLeavesNoRoom() {
    let n = MapBudget.countMappings()
    #expect(n > 10)
    var tight = MapBudget(limit: limit(leaving: 0, above: 1_000), sharedGroup: false, count: { 1_000 })
    let tightAdmits = tight.admitContext()
    #expect(!tightAdmits)  // 7 assumed per context, no room
    var roomy = MapBudget(limit: limit(leaving: 1_000, above: 1_000), sharedGroup: false, count: { 1_000 })
    let roomyAdmits = roomy.admitContext()
    #expect(roomyAdmits)
    #expect(roomy.estimate == roomy.counted + 7)
}

@Test func aContextIsChargedWhatItWillHoldNotWhatItHoldsWhenMade() {
    // A recount finds what the contexts hold now (here: nothing more than at the start); the
    // estimate still charges each live context 7 mappings, and a released one frees its share.
    let n = 1_000
    var b = MapBudget(limit: limit(leaving: 7 * 3, above: n), sharedGroup: false, count: { n })
    var admitted = 0
    for _ in 0..<10 where b.admitContext() { admitted += 1 }
    #expect(admitted == 3)
    #expect(b.estimate == n + 3 * 7)
    b.contextReleased()
    let again = b.admitContext()
    #expect(again)
}

@Test func aRefusedPoolRefillPausesUntilHousekeepingSoTheLoopDoesNotSpin() throws {
    var options = IsolateOptions()
    options.prewarm = 50
    options.maxMapCount = limit(leaving: 0, above: MapBudget.countMappings())
    let f = try Fixture(["a": "export default { fetch() { return new Response('a'); } };"], options: options)
    #expect(f.runtime.poolCount < 50)
    #expect(!f.runtime.wantsTurnEnd)  // paused: the loop would otherwise refill (and fail) every turn
    #expect(f.logs.contains("no new context for prewarm"))
    f.runtime.housekeeping()
    #expect(f.runtime.wantsTurnEnd)
    f.runtime.turnEnded()
    #expect(!f.runtime.wantsTurnEnd)
}
