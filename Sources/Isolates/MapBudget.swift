// MapBudget: keeps new JSC contexts inside the kernel's per-process mapping limit (vm.max_map_count).
import Glibc
import Platform

/// Every JSC context group adds memory mappings of its own (heap blocks and the guard pages
/// between them, JIT regions): about 4.3 once its prelude is in and 6.5 once it has served
/// requests, about 1.2 for a global object in a shared group (Kernel-notes/isolates.md). At
/// the default `vm.max_map_count` (65,530) about 10,000 groups fill a process, and past the
/// limit mmap fails with ENOMEM, which JavaScriptCore answers by crashing the process and every
/// tenant in it. So the runtime asks this budget before it makes a context and refuses the
/// tenant (503 and a log line) while the process is within `headroom` mappings of the limit.
///
/// Counting /proc/self/maps costs about a millisecond per 10,000 lines, so the count is an
/// estimate (the last real count plus `perContext` for each context made since) and is made
/// exact only when the estimate nears the limit; after a refusal no recount happens for a
/// second, so a stream of refused requests does not turn into a stream of recounts.
struct MapBudget {
    /// vm.max_map_count, or the option's override.
    let limit: Int
    /// Mappings kept free for everything else the process maps (rings, thread stacks, malloc).
    let headroom: Int
    /// Mappings a new context is assumed to add until the next real count (above the measured
    /// averages, so the estimate errs towards counting early).
    let perContext: Int
    /// Lines of /proc/self/maps at the last count, and contexts made since.
    private(set) var counted: Int
    private var madeSinceCount = 0
    private var noRecountBeforeNanos = 0

    /// `limit` 0 reads /proc/sys/vm/max_map_count.
    init(limit: Int, sharedGroup: Bool) {
        let l = limit > 0 ? limit : Self.kernelLimit() ?? 65_530
        self.limit = l
        headroom = Self.headroom(for: l)
        perContext = sharedGroup ? 3 : 10
        counted = Self.countMappings()
    }

    /// A twentieth of the limit, at least 64 and at most 2,000 mappings (3,276 at the default
    /// limit would be too generous: 2,000 is a few hundred thread stacks and rings).
    static func headroom(for limit: Int) -> Int { max(64, min(2_000, limit / 20)) }

    /// Mappings the process holds now, as last counted or estimated.
    var estimate: Int { counted + madeSinceCount * perContext }

    /// True if one more context fits (and counts it); false while it would not.
    mutating func admitContext() -> Bool {
        if estimate + perContext + headroom <= limit {
            madeSinceCount += 1
            return true
        }
        let now = Int(monotonicNanos())
        guard now >= noRecountBeforeNanos else { return false }
        counted = Self.countMappings()
        madeSinceCount = 0
        if counted + perContext + headroom <= limit {
            madeSinceCount = 1
            return true
        }
        noRecountBeforeNanos = now + 1_000_000_000
        return false
    }

    /// Forgets the refusal back-off (a tenant was evicted: its mappings may have gone back).
    mutating func contextReleased() { noRecountBeforeNanos = 0 }

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
