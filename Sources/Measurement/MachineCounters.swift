// MachineCounters: machine-wide softirq, interrupt and per-CPU time counters from /proc.
#if canImport(Glibc)
import Glibc
#endif

/// /proc/softirqs: counts per softirq kind per CPU. MACHINE-WIDE: every process's network
/// traffic (and the load generator's, on the same machine) lands here.
public struct SoftIRQCounts: Sendable, Codable, Equatable {
    /// Kind ("NET_RX", "NET_TX", "TIMER", ...) to per-CPU counts.
    public var perCPU: [String: [UInt64]] = [:]

    public init(perCPU: [String: [UInt64]] = [:]) { self.perCPU = perCPU }

    public func total(_ kind: String) -> UInt64 { perCPU[kind]?.reduce(0, +) ?? 0 }
    public var netRX: UInt64 { total("NET_RX") }
    public var netTX: UInt64 { total("NET_TX") }

    public static func parse(_ text: String) -> SoftIRQCounts {
        var counts = SoftIRQCounts()
        for line in text.split(separator: "\n").dropFirst() {  // first line names the CPUs
            guard let colon = line.firstIndex(of: ":") else { continue }
            let kind = line[..<colon].trimmedWhitespace()
            counts.perCPU[kind] = line[line.index(after: colon)...].split(separator: " ").compactMap { UInt64($0) }
        }
        return counts
    }

    public static func read() -> SoftIRQCounts? { ProcFile.read("/proc/softirqs").map(parse) }

    public static func - (end: Self, start: Self) -> Self {
        var delta = Self()
        for (kind, values) in end.perCPU {
            let before = start.perCPU[kind] ?? []
            delta.perCPU[kind] = values.enumerated().map { i, v in
                let b = i < before.count ? before[i] : 0
                return v > b ? v - b : 0
            }
        }
        return delta
    }
}

/// /proc/interrupts summed: hardware and IPI interrupt deliveries, per CPU and in total.
/// MACHINE-WIDE. Rows with a single count (ERR, MIS) are error counters, not deliveries,
/// and are kept apart.
public struct InterruptCounts: Sendable, Codable, Equatable {
    public var perCPU: [UInt64] = []
    public var errors: UInt64 = 0

    public init(perCPU: [UInt64] = [], errors: UInt64 = 0) {
        self.perCPU = perCPU
        self.errors = errors
    }

    public var total: UInt64 { perCPU.reduce(0, +) }

    public static func parse(_ text: String) -> InterruptCounts {
        let lines = text.split(separator: "\n")
        guard let header = lines.first else { return InterruptCounts() }
        let cpus = header.split(separator: " ").filter { $0.hasPrefix("CPU") }.count
        var counts = InterruptCounts(perCPU: [UInt64](repeating: 0, count: cpus))
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let fields = line[line.index(after: colon)...].split(separator: " ")
            let name = line[..<colon].trimmedWhitespace()
            if name == "ERR" || name == "MIS" {
                counts.errors += fields.first.flatMap { UInt64($0) } ?? 0
                continue
            }
            for (i, field) in fields.prefix(cpus).enumerated() {
                guard let value = UInt64(field) else { break }  // a description, e.g. "IO-APIC"
                counts.perCPU[i] += value
            }
        }
        return counts
    }

    public static func read() -> InterruptCounts? { ProcFile.read("/proc/interrupts").map(parse) }

    public static func - (end: Self, start: Self) -> Self {
        Self(perCPU: end.perCPU.enumerated().map { i, v in
                 let b = i < start.perCPU.count ? start.perCPU[i] : 0
                 return v > b ? v - b : 0
             },
             errors: end.errors > start.errors ? end.errors - start.errors : 0)
    }
}

/// One "cpuN" line of /proc/stat, converted from USER_HZ ticks to microseconds.
public struct CPUTime: Sendable, Codable, Equatable {
    public var cpu: String
    public var userMicros: UInt64 = 0
    public var niceMicros: UInt64 = 0
    public var systemMicros: UInt64 = 0
    public var idleMicros: UInt64 = 0
    public var iowaitMicros: UInt64 = 0
    public var irqMicros: UInt64 = 0
    public var softirqMicros: UInt64 = 0
    public var stealMicros: UInt64 = 0

    public init(cpu: String) { self.cpu = cpu }

    public static func - (end: Self, start: Self) -> Self {
        func sub(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : 0 }
        var d = Self(cpu: end.cpu)
        d.userMicros = sub(end.userMicros, start.userMicros)
        d.niceMicros = sub(end.niceMicros, start.niceMicros)
        d.systemMicros = sub(end.systemMicros, start.systemMicros)
        d.idleMicros = sub(end.idleMicros, start.idleMicros)
        d.iowaitMicros = sub(end.iowaitMicros, start.iowaitMicros)
        d.irqMicros = sub(end.irqMicros, start.irqMicros)
        d.softirqMicros = sub(end.softirqMicros, start.softirqMicros)
        d.stealMicros = sub(end.stealMicros, start.stealMicros)
        return d
    }
}

/// /proc/stat CPU lines: "cpu" (all) and "cpu0", "cpu1", ... MACHINE-WIDE.
public struct CPUTimes: Sendable, Codable, Equatable {
    /// The aggregate "cpu" line.
    public var all: CPUTime = CPUTime(cpu: "cpu")
    public var perCPU: [CPUTime] = []

    public init(all: CPUTime = CPUTime(cpu: "cpu"), perCPU: [CPUTime] = []) {
        self.all = all
        self.perCPU = perCPU
    }

    public static func parse(_ text: String, ticksPerSecond: UInt64 = ProcessStat.machineTicksPerSecond) -> CPUTimes {
        var times = CPUTimes()
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") {
            let fields = line.split(separator: " ")
            guard fields.count >= 8 else { continue }
            func micros(_ i: Int) -> UInt64 {
                i < fields.count ? (UInt64(fields[i]) ?? 0) * 1_000_000 / ticksPerSecond : 0
            }
            var t = CPUTime(cpu: String(fields[0]))
            t.userMicros = micros(1); t.niceMicros = micros(2); t.systemMicros = micros(3)
            t.idleMicros = micros(4); t.iowaitMicros = micros(5); t.irqMicros = micros(6)
            t.softirqMicros = micros(7); t.stealMicros = micros(8)
            if t.cpu == "cpu" { times.all = t } else { times.perCPU.append(t) }
        }
        return times
    }

    public static func read() -> CPUTimes? { ProcFile.read("/proc/stat").map { parse($0) } }

    public static func - (end: Self, start: Self) -> Self {
        Self(all: end.all - start.all,
             perCPU: end.perCPU.map { e in start.perCPU.first { $0.cpu == e.cpu }.map { e - $0 } ?? e })
    }
}
