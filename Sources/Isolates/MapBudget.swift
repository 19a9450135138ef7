// MapBudget: keeps new JSC contexts inside the kernel's per-process mapping limit (vm.max_map_count).
import Glibc
import Platform

/// Every JSC context group adds memory mappings of its own (heap blocks and the guard pages
/// between them, JIT regions): about 4.3 once its prelude is in and 6.5 once it has served
/// requests, 1.2 to 1.8 for a global object in a shared group (Kernel-notes/isolates.md). At
/// the default `vm.max_map_count` (65,530) about 10,000 groups fill a process, and past the
/// limit mmap fails with ENOMEM, which JavaScriptCore answers by crashing the process and every
/// tenant in it. So the runtime asks this budget before it makes a context and refuses the
/// tenant (503 and a log line) while the process is within `headroom` mappings of the limit.
///
/// Counting /proc/self/maps costs about a millisecond per 10,000 lines, so the count is an
/// estimate (the last real count plus `perContext` for each context made since) and is made
/// exact only when the estimate nears the limit; after a refusal no recount happens for a
/// second, so a stream of refused requests does not turn into a stream of recounts.
///
/// One budget per runtime, i.e. per loop: with `--threads N` each loop sees the others'
/// contexts only at its recounts, so between two recounts the headroom is what absorbs them
/// (2,000 mappings: about 280 per-tenant groups made by the other loops meanwhile).
struct MapBudget {
    /// vm.max_map_count, or the option's override.
    let limit: Int
    /// Mappings kept free for everything else the process maps (rings, thread stacks, malloc).
    let headroom: Int
    /// Mappings each context is assumed to hold once it has served requests: a context
    /// starts with about 4.3 and grows with its heap (10,000 per-tenant groups that had each
    /// served one request held 65,531 mappings, 6.5 apiece), so a context is charged what it
    /// will hold, not what it holds when made.
    let perContext: Int
    /// Lines of /proc/self/maps when the budget was made (the process without contexts).
    let baseline: Int
    /// Lines of /proc/self/maps at the last count, and contexts made since.
    private(set) var counted: Int
    private var madeSinceCount = 0
    /// Contexts alive (admitted and not released).
    private(set) var contexts = 0
    private var noRecountBeforeNanos = 0
    /// What counts the process's mappings (`countMappings`; tests give their own).
    private let count: () -> Int

    /// `limit` 0 reads /proc/sys/vm/max_map_count.
    init(limit: Int, sharedGroup: Bool, count: @escaping () -> Int = MapBudget.countMappings) {
        self.count = count
        let l = limit > 0 ? limit : Self.kernelLimit() ?? 65_530
        self.limit = l
        headroom = Self.headroom(for: l)
        perContext = sharedGroup ? 2 : 7
        counted = count()
        baseline = counted
    }

    /// A twentieth of the limit, at least 64 and at most 2,000 mappings (3,276 at the default
    /// limit would be too generous: 2,000 is a few hundred thread stacks and rings).
    static func headroom(for limit: Int) -> Int { max(64, min(2_000, limit / 20)) }

    /// Mappings the process holds now, as last counted or estimated.
    /// The larger of what was counted (plus `perContext` for each context made since) and what
    /// the live contexts will hold.
    var estimate: Int { max(counted + madeSinceCount * perContext, baseline + contexts * perContext) }

    /// True if one more context fits (and counts it); false while it would not.
    mutating func admitContext() -> Bool {
        if estimate + perContext + headroom <= limit { return admit() }
        let now = Int(monotonicNanos())
        guard now >= noRecountBeforeNanos else { return false }
        counted = count()
        madeSinceCount = 0
        if estimate + perContext + headroom <= limit { return admit() }
        noRecountBeforeNanos = now + 1_000_000_000
        return false
    }

    private mutating func admit() -> Bool {
        madeSinceCount += 1
        contexts += 1
        return true
    }

    /// A context was released (a tenant evicted, or a context that failed to come up): its
    /// share is free again, and the refusal back-off ends.
    mutating func contextReleased() {
        contexts = max(0, contexts - 1)
        noRecountBeforeNanos = 0
    }

    static func kernelLimit() -> Int? {
        guard let text = readSmallFile("/proc/sys/vm/max_map_count") else { return nil }
        return Int(text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first ?? "")
    }

    /// Lines of /proc/self/maps (one per mapping).
    static func countMappings() -> Int {
        let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var lines = 0
        var buf = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            for i in 0..<got where buf[i] == 0x0A { lines += 1 }
        }
        return lines
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 64)
        let got = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return got > 0 ? String(decoding: buf[0..<got], as: UTF8.self) : nil
    }
}
