// ProcessStat: /proc/PID/stat and /proc/PID/status readers, for this process, its threads and peers.
#if canImport(Glibc)
import Glibc
#endif

/// The fields of /proc/PID/stat (or /proc/PID/task/TID/stat) the study uses. Times are in
/// clock ticks (USER_HZ, sysconf(_SC_CLK_TCK)); the *Micros properties convert.
public struct ProcessStat: Sendable, Codable, Equatable {
    public var pid: Int32
    /// The command name; may contain spaces and parentheses, so parsing splits at the LAST ')'.
    public var comm: String
    public var state: String
    public var minorFaults: UInt64
    public var majorFaults: UInt64
    public var userTicks: UInt64
    public var systemTicks: UInt64
    /// Children's times, counted when they are waited for.
    public var childUserTicks: UInt64
    public var childSystemTicks: UInt64
    public var threads: UInt64
    public var startTimeTicks: UInt64
    public var residentPages: UInt64
    /// Ticks per second used for the conversions (defaults to this machine's USER_HZ).
    public var ticksPerSecond: UInt64 = ProcessStat.machineTicksPerSecond

    public static let machineTicksPerSecond = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))

    public var userMicros: UInt64 { userTicks * 1_000_000 / ticksPerSecond }
    public var systemMicros: UInt64 { systemTicks * 1_000_000 / ticksPerSecond }
    public var cpuMicros: UInt64 { userMicros + systemMicros }

    /// Parses one stat line; nil when it does not have the expected shape.
    public static func parse(_ text: String) -> ProcessStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              let pid = Int32(text[..<open].trimmedWhitespace()) else { return nil }
        let comm = String(text[text.index(after: open)..<close])
        // Fields after the comm start at field 3 (state); index 0 here is field 3.
        let rest = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard rest.count >= 22 else { return nil }
        func field(_ n: Int) -> UInt64 { UInt64(rest[n - 3]) ?? 0 }
        return ProcessStat(pid: pid, comm: comm, state: String(rest[0]), minorFaults: field(10),
                           majorFaults: field(12), userTicks: field(14), systemTicks: field(15),
                           childUserTicks: UInt64(max(Int64(rest[16 - 3]) ?? 0, 0)),
                           childSystemTicks: UInt64(max(Int64(rest[17 - 3]) ?? 0, 0)),
                           threads: field(20), startTimeTicks: field(22), residentPages: field(24))
    }

    /// /proc/PID/stat of a process (this one by default).
    public static func read(pid: Int32 = getpid()) -> ProcessStat? {
        ProcFile.read("/proc/\(pid)/stat").flatMap(parse)
    }

    /// /proc/PID/task/*/stat: one entry per thread, to show how CPU splits across loop threads.
    /// Costs one open+read per thread: for reports, not per request.
    public static func threads(of pid: Int32 = getpid()) -> [ProcessStat] {
        ProcFile.list("/proc/\(pid)/task").compactMap { ProcFile.read("/proc/\(pid)/task/\($0)/stat").flatMap(parse) }
    }
}

/// Context switch counts from /proc/PID/status (the stat line does not carry them).
public struct ProcessStatus: Sendable, Codable, Equatable {
    public var voluntaryContextSwitches: UInt64
    public var involuntaryContextSwitches: UInt64
    public var residentKilobytes: UInt64

    public static func parse(_ text: String) -> ProcessStatus {
        var status = ProcessStatus(voluntaryContextSwitches: 0, involuntaryContextSwitches: 0, residentKilobytes: 0)
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
                .first.flatMap { UInt64($0) } ?? 0
            switch key {
            case "voluntary_ctxt_switches": status.voluntaryContextSwitches = value
            case "nonvoluntary_ctxt_switches": status.involuntaryContextSwitches = value
            case "VmRSS": status.residentKilobytes = value
            default: break
            }
        }
        return status
    }

    public static func read(pid: Int32 = getpid()) -> ProcessStatus? {
        ProcFile.read("/proc/\(pid)/status").map(parse)
    }
}
