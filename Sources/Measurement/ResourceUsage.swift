// ResourceUsage: getrusage(2) for this process, its reaped children, or the calling thread.
#if canImport(Glibc)
import Glibc
#endif

/// CPU time, context switches and peak memory from getrusage(2).
/// RUSAGE_CHILDREN covers only children that have exited AND been waited for; live worker
/// processes appear there only after they are reaped (read them with ProcessStat meanwhile).
public struct ResourceUsage: Sendable, Codable, Equatable {
    public enum Who: Sendable { case process, children, thread }

    public var userMicros: UInt64 = 0
    public var systemMicros: UInt64 = 0
    public var voluntaryContextSwitches: UInt64 = 0
    public var involuntaryContextSwitches: UInt64 = 0
    public var minorFaults: UInt64 = 0
    public var majorFaults: UInt64 = 0
    /// ru_maxrss: the peak resident set in KiB (a high-water mark, so deltas keep the end value).
    public var maxResidentKilobytes: UInt64 = 0

    public init(userMicros: UInt64 = 0, systemMicros: UInt64 = 0, voluntaryContextSwitches: UInt64 = 0,
                involuntaryContextSwitches: UInt64 = 0, minorFaults: UInt64 = 0, majorFaults: UInt64 = 0,
                maxResidentKilobytes: UInt64 = 0) {
        self.userMicros = userMicros
        self.systemMicros = systemMicros
        self.voluntaryContextSwitches = voluntaryContextSwitches
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.minorFaults = minorFaults
        self.majorFaults = majorFaults
        self.maxResidentKilobytes = maxResidentKilobytes
    }

    /// getrusage(RUSAGE_SELF / RUSAGE_CHILDREN / RUSAGE_THREAD).
    public static func current(_ who: Who = .process) -> ResourceUsage {
        var usage = rusage()
        let code: Int32
        switch who {
        case .process: code = RUSAGE_SELF.rawValue
        case .children: code = RUSAGE_CHILDREN.rawValue
        case .thread: code = 1  // RUSAGE_THREAD, Linux-only, not exported by Glibc's module
        }
        _ = getrusage(__rusage_who_t(code), &usage)
        func micros(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_usec) }
        return ResourceUsage(userMicros: micros(usage.ru_utime), systemMicros: micros(usage.ru_stime),
                             voluntaryContextSwitches: UInt64(usage.ru_nvcsw),
                             involuntaryContextSwitches: UInt64(usage.ru_nivcsw),
                             minorFaults: UInt64(usage.ru_minflt), majorFaults: UInt64(usage.ru_majflt),
                             maxResidentKilobytes: UInt64(usage.ru_maxrss))
    }

    /// User plus system time.
    public var cpuMicros: UInt64 { userMicros + systemMicros }

    public static func - (end: Self, start: Self) -> Self {
        func sub(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : 0 }
        return Self(userMicros: sub(end.userMicros, start.userMicros),
                    systemMicros: sub(end.systemMicros, start.systemMicros),
                    voluntaryContextSwitches: sub(end.voluntaryContextSwitches, start.voluntaryContextSwitches),
                    involuntaryContextSwitches: sub(end.involuntaryContextSwitches, start.involuntaryContextSwitches),
                    minorFaults: sub(end.minorFaults, start.minorFaults),
                    majorFaults: sub(end.majorFaults, start.majorFaults),
                    maxResidentKilobytes: end.maxResidentKilobytes)
    }

    public static func + (a: Self, b: Self) -> Self {
        Self(userMicros: a.userMicros + b.userMicros, systemMicros: a.systemMicros + b.systemMicros,
             voluntaryContextSwitches: a.voluntaryContextSwitches + b.voluntaryContextSwitches,
             involuntaryContextSwitches: a.involuntaryContextSwitches + b.involuntaryContextSwitches,
             minorFaults: a.minorFaults + b.minorFaults, majorFaults: a.majorFaults + b.majorFaults,
             maxResidentKilobytes: max(a.maxResidentKilobytes, b.maxResidentKilobytes))
    }
}
