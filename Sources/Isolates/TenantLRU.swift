// TenantLRU: live tenants in slots, ordered by last use, for O(1) touch and eviction.

/// A doubly linked list over slot indices (no allocation per touch): `touch` moves a slot to
/// the most-recent end, `leastRecent` names the eviction candidate. Slots freed by `remove`
/// are reused by the next `insert`.
struct TenantLRU<Value> {
    private var values: [Value?] = []
    private var prev: [Int] = []
    private var next: [Int] = []
    private var free: [Int] = []
    /// Most recently used slot, and least recently used slot (-1 when empty).
    private var head = -1
    private var tail = -1
    private(set) var count = 0

    subscript(slot: Int) -> Value {
        get { values[slot]! }
        set { values[slot] = newValue }
    }

    /// Stores `value` as the most recently used; returns its slot.
    mutating func insert(_ value: Value) -> Int {
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            values[slot] = value
        } else {
            slot = values.count
            values.append(value)
            prev.append(-1)
            next.append(-1)
        }
        link(slot)
        count += 1
        return slot
    }

    /// Marks `slot` as just used.
    mutating func touch(_ slot: Int) {
        guard head != slot else { return }
        unlink(slot)
        link(slot)
    }

    /// Removes `slot` and returns its value.
    @discardableResult
    mutating func remove(_ slot: Int) -> Value {
        let value = values[slot]!
        unlink(slot)
        values[slot] = nil
        free.append(slot)
        count -= 1
        return value
    }

    /// The least recently used slot, nil when empty.
    var leastRecent: Int? { tail >= 0 ? tail : nil }

    /// Slots from most to least recently used (for tests and reports, not the request path).
    var slotsByRecency: [Int] {
        var out: [Int] = []
        var s = head
        while s >= 0 { out.append(s); s = next[s] }
        return out
    }

    private mutating func link(_ slot: Int) {
        prev[slot] = -1
        next[slot] = head
        if head >= 0 { prev[head] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let p = prev[slot], n = next[slot]
        if p >= 0 { next[p] = n } else { head = n }
        if n >= 0 { prev[n] = p } else { tail = p }
        prev[slot] = -1
        next[slot] = -1
    }
}
