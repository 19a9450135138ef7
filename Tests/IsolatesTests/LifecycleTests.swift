// LifecycleTests: prewarm pool, LRU eviction by count and by heap total, per-tenant heap limit.
import Testing
@testable import Isolates

/// A tenant that counts its requests: a fresh isolate answers "1".
private func counter(_ name: String) -> String {
    "let n = 0;\nexport default { fetch() { n++; return new Response('\(name) ' + n); } };"
}

@Test func coldStartRecordHasEveryPhase() throws {
    let f = try Fixture(["a": counter("a")], options: IsolateOptions())
    #expect(f.send("GET", "/a").text == "a 1")
    let c = try #require(f.runtime.coldStarts.first)
    #expect(c.tenant == "a")
    #expect(!c.pooled)
    #expect(c.contextCreateNanos > 0)
    #expect(c.preludeInstallNanos > 0)
    #expect(c.scriptEvaluateNanos > 0)
    #expect(c.firstCallNanos > 0)
    #expect(c.totalNanos == c.contextCreateNanos + c.preludeInstallNanos + c.scriptEvaluateNanos + c.firstCallNanos)
    #expect(f.runtime.stats.coldStartsTotal == 1)
}

@Test func pooledColdStartSkipsContextAndPreludeAndPoolRefills() throws {
    var options = IsolateOptions()
    options.prewarm = 2
    let f = try Fixture(["a": counter("a"), "b": counter("b"), "c": counter("c")], options: options)
    #expect(f.runtime.poolCount == 2)
    #expect(f.send("GET", "/a").text == "a 1")
    #expect(f.send("GET", "/b").text == "b 1")
    #expect(f.runtime.poolCount == 0)
    #expect(f.send("GET", "/c").text == "c 1") // pool empty: a full cold start
    let starts = f.runtime.coldStarts
    #expect(starts.map(\.pooled) == [true, true, false])
    #expect(starts[0].preludeInstallNanos == 0)
    #expect(starts[2].preludeInstallNanos > 0)
    #expect(f.runtime.stats.pooledColdStartsTotal == 2)
    #expect(f.runtime.refillPool(budget: 1) == 1)
    #expect(f.runtime.poolCount == 1)
    #expect(f.runtime.refillPool(budget: 5) == 1)
    #expect(f.runtime.refillPool(budget: 5) == 0) // full at `prewarm`
    #expect(f.runtime.stats.poolContextsCreatedTotal == 4)
}

@Test func pooledTenantsGetTheirOwnGlobalsAndURL() throws {
    var options = IsolateOptions()
    options.prewarm = 2
    let f = try Fixture([
        "a": "globalThis.mine = 'a';\nexport default { fetch(r) { return new Response(String(globalThis.other) + ' ' + new URL(r.url).pathname); } };",
        "b": "globalThis.other = 'b';\nexport default { fetch() { return new Response(String(globalThis.mine)); } };",
    ], options: options)
    #expect(f.send("GET", "/b").text == "undefined")
    #expect(f.send("GET", "/a/x").text == "undefined /a/x")
    #expect(f.logs.lines.allSatisfy { !$0.hasPrefix("[]") }) // logs carry the adopted name
}

@Test func countCapEvictsLeastRecentlyUsedAndItColdStartsAgain() throws {
    var options = IsolateOptions()
    options.maxTenants = 2
    let f = try Fixture(["a": counter("a"), "b": counter("b"), "c": counter("c")], options: options)
    #expect(f.send("GET", "/a").text == "a 1")
    #expect(f.send("GET", "/b").text == "b 1")
    #expect(f.send("GET", "/a").text == "a 2") // a is now more recent than b
    #expect(f.send("GET", "/c").text == "c 1") // evicts b
    #expect(f.runtime.tenantCount == 2)
    #expect(f.runtime.stats.evictionsByCountTotal == 1)
    #expect(Set(f.runtime.tenantsByRecency) == ["a", "c"])
    #expect(f.send("GET", "/a").text == "a 3") // unaffected, still warm
    #expect(f.send("GET", "/b").text == "b 1") // cold again: fresh state, evicts c
    #expect(f.runtime.coldStarts.map(\.tenant) == ["a", "b", "c", "b"])
    #expect(f.runtime.tenantsByRecency == ["b", "a"])
}

@Test func memoryCapEvictsLeastRecentlyUsedUntilUnder() throws {
    // Each fresh tenant's heap capacity is about 1 MB (Kernel-notes/isolates.md); with a cap of
    // 2.5 tenants' worth, the third cold start must push the oldest out.
    let probe = try Fixture(["a": counter("a")], options: IsolateOptions())
    _ = probe.send("GET", "/a")
    let one = try #require(probe.runtime.memoryUsage()["a"]).heapCapacityBytes
    #expect(one > 0)
    var options = IsolateOptions()
    options.maxTenantMemoryBytes = one * 5 / 2
    let f = try Fixture(["a": counter("a"), "b": counter("b"), "c": counter("c")], options: options)
    #expect(f.send("GET", "/a").text == "a 1")
    #expect(f.send("GET", "/b").text == "b 1")
    #expect(f.runtime.stats.evictionsByMemoryTotal == 0)
    #expect(f.send("GET", "/c").text == "c 1")
    #expect(f.runtime.stats.evictionsByMemoryTotal >= 1)
    #expect(!f.runtime.tenantsByRecency.contains("a"))
    #expect(f.runtime.tenantsByRecency.first == "c")
    #expect(f.runtime.stats.trackedHeapCapacityBytes <= options.maxTenantMemoryBytes)
    #expect(f.logs.contains("[a] evicted"))
}

@Test func housekeepingEvictsWhenATenantsHeapGrows() throws {
    let grower = """
    const keep = [];
    export default { fetch() { keep.push(new Array(250000).fill(1.5)); return new Response(String(keep.length)); } };
    """
    var options = IsolateOptions()
    options.maxTenantMemoryBytes = 6 * 1024 * 1024
    let f = try Fixture(["a": counter("a"), "g": grower], options: options)
    #expect(f.send("GET", "/a").text == "a 1")
    for i in 1...4 { #expect(f.send("GET", "/g").text == String(i)) }
    f.runtime.housekeeping()
    #expect(f.runtime.stats.evictionsByMemoryTotal >= 1)
    #expect(!f.runtime.tenantsByRecency.contains("a"))
    #expect(f.send("GET", "/a").text == "a 1") // evicted, so cold again
}

@Test func tenantOverHeapLimitGets503ThenRecovers() throws {
    let grower = """
    const keep = [];
    export default { fetch() { keep.push(new Array(250000).fill(1.5)); return new Response('kept ' + keep.length); } };
    """
    var options = IsolateOptions()
    options.tenantHeapBytes = 8 * 1024 * 1024
    options.heapCheckEveryRequests = 1
    let f = try Fixture(["g": grower, "b": counter("b")], options: options)
    #expect(f.send("GET", "/b").text == "b 1")
    var statuses: [Int] = []
    var r = f.send("GET", "/g")
    while r.status == 200 && statuses.count < 50 {
        statuses.append(r.status)
        r = f.send("GET", "/g")
    }
    #expect(r.status == 503)
    #expect(r.text == "tenant memory limit exceeded\n")
    #expect(statuses.count >= 1) // a fresh tenant is well under 8 MB
    #expect(f.logs.contains("[g] tenant memory limit exceeded"))
    #expect(f.runtime.stats.heapLimitStopsTotal == 1)
    #expect(f.send("GET", "/g").text == "kept 1") // recreated on the next request
    #expect(f.send("GET", "/b").text == "b 2")   // the other tenant never noticed
}

@Test func heapIsReadOnlyEveryNthRequest() throws {
    var options = IsolateOptions()
    options.tenantHeapBytes = 64 * 1024 * 1024
    options.heapCheckEveryRequests = 3
    let f = try Fixture(["a": counter("a")], options: options)
    for _ in 0..<7 { _ = f.send("GET", "/a") }
    #expect(f.runtime.stats.heapReadingsTotal == 2)
}

@Test func lruListOrdersSlotsAndReusesThem() {
    var lru = TenantLRU<String>()
    let a = lru.insert("a"), b = lru.insert("b"), c = lru.insert("c")
    #expect(lru.leastRecent == a)
    lru.touch(a)
    #expect(lru.leastRecent == b)
    #expect(lru.remove(b) == "b")
    #expect(lru.slotsByRecency == [a, c])
    let d = lru.insert("d")
    #expect(d == b) // slot reused
    #expect(lru.slotsByRecency.map { lru[$0] } == ["d", "a", "c"])
    #expect(lru.count == 3)
}

@Test func theLoopRefillsThePoolHalfAContextPerTurnAndANewTenantMayTakeTheHalfMadeOne() throws {
    var options = IsolateOptions()
    options.prewarm = 1
    let f = try Fixture(["a": counter("a"), "b": counter("b")], options: options)
    #expect(f.runtime.poolCount == 1 && !f.runtime.wantsTurnEnd)
    #expect(f.send("GET", "/a").text == "a 1")
    #expect(f.runtime.wantsTurnEnd)
    f.runtime.turnEnded()  // first half: group, global object, prelude
    #expect(f.runtime.isPreparing && f.runtime.poolCount == 0)
    #expect(f.send("GET", "/b").text == "b 1")  // takes the half-made context
    #expect(f.runtime.coldStarts.map(\.pooled) == [true, true])
    #expect(!f.runtime.isPreparing && f.runtime.wantsTurnEnd)
    f.runtime.turnEnded()
    f.runtime.turnEnded()  // second half: the warm-up; the context joins the pool
    #expect(f.runtime.poolCount == 1 && !f.runtime.wantsTurnEnd)
    #expect(f.runtime.stats.poolContextsCreatedTotal == 2)
}
