// MemoryUsage: /proc/PID/smaps_rollup (PSS, RSS, private) and /proc/self/statm.
#if canImport(Glibc)
import Glibc
#endif

/// The totals of /proc/PID/smaps_rollup, in KiB. PSS splits shared pages among the processes
/// sharing them, so summing PSS over worker processes does not double-count shared libraries.
/// Reading it walks every mapping of the process: for reports, not per request.
public struct SmapsRollup: Sendable, Codable, Equatable {
    public var rssKilobytes: UInt64 = 0
    public var pssKilobytes: UInt64 = 0
    public var pssAnonKilobytes: UInt64 = 0
    public var pssFileKilobytes: UInt64 = 0
    public var sharedCleanKilobytes: UInt64 = 0
    public var sharedDirtyKilobytes: UInt64 = 0
    public var privateCleanKilobytes: UInt64 = 0
    public var privateDirtyKilobytes: UInt64 = 0
    public var swapKilobytes: UInt64 = 0

    public init() {}

    public var privateKilobytes: UInt64 { privateCleanKilobytes + privateDirtyKilobytes }

    public static func parse(_ text: String) -> SmapsRollup {
        var r = SmapsRollup()
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            guard let value = line[line.index(after: colon)...].split(separator: " ").first.flatMap({ UInt64($0) })
            else { continue }
            switch key {
            case "Rss": r.rssKilobytes = value
            case "Pss": r.pssKilobytes = value
            case "Pss_Anon": r.pssAnonKilobytes = value
            case "Pss_File": r.pssFileKilobytes = value
            case "Shared_Clean": r.sharedCleanKilobytes = value
            case "Shared_Dirty": r.sharedDirtyKilobytes = value
            case "Private_Clean": r.privateCleanKilobytes = value
            case "Private_Dirty": r.privateDirtyKilobytes = value
            case "Swap": r.swapKilobytes = value
            default: break
            }
        }
        return r
    }

    /// nil when the process is gone or the kernel predates smaps_rollup (4.14).
    public static func read(pid: Int32 = getpid()) -> SmapsRollup? {
        ProcFile.read("/proc/\(pid)/smaps_rollup").map(parse)
    }
}

/// /proc/PID/statm: sizes in pages, converted to bytes. Cheap (no mapping walk).
public struct Statm: Sendable, Codable, Equatable {
    public var virtualBytes: UInt64
    public var residentBytes: UInt64
    public var sharedBytes: UInt64

    public static let pageBytes = UInt64(max(sysconf(Int32(_SC_PAGESIZE)), 1))

    public static func parse(_ text: String, pageBytes: UInt64 = Statm.pageBytes) -> Statm? {
        let f = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt64($0) }
        guard f.count >= 3 else { return nil }
        return Statm(virtualBytes: f[0] * pageBytes, residentBytes: f[1] * pageBytes, sharedBytes: f[2] * pageBytes)
    }

    public static func read(pid: Int32 = getpid()) -> Statm? {
        ProcFile.read("/proc/\(pid)/statm").flatMap { parse($0) }
    }
}
