// Environment: the machine and software facts every report carries (collected once per report).
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where a result was measured. A report without this block is not a result (DESIGN.md).
/// Collected at report time (it runs pkg-config and dpkg-query), never on the request path.
public struct Environment: Sendable, Codable, Equatable {
    public var hostname: String
    /// ISO 8601, UTC.
    public var timestamp: String
    public var kernelRelease: String
    public var kernelVersion: String
    public var machine: String
    public var cpuModel: String
    /// Logical processors listed in /proc/cpuinfo.
    public var cpuCount: Int
    /// Physical cores (distinct physical id + core id pairs), when cpuinfo says.
    public var physicalCores: Int?
    /// /sys/devices/system/cpu/online, e.g. "0-1", and its count.
    public var onlineCPUs: String
    public var onlineCPUCount: Int
    /// File name in /sys/devices/system/cpu/vulnerabilities to its first line.
    public var mitigations: [String: String]
    public var liburingVersion: String?
    public var javaScriptCoreVersion: String?
    /// kernel.io_uring_disabled (0 allowed, 1 root/group only, 2 disabled); nil before 6.6.
    public var ioUringDisabled: Int?
    public var perfEventParanoid: Int?
    /// RLIMIT_MEMLOCK soft and hard limits in bytes; nil means unlimited.
    public var memlockSoftBytes: UInt64?
    public var memlockHardBytes: UInt64?

    /// Gathers everything; a source that cannot be read becomes nil or "unknown".
    public static func collect() -> Environment {
        var names = utsname()
        uname(&names)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        let cpuinfo = CPUInfo.parse(ProcFile.read("/proc/cpuinfo") ?? "")
        let online = ProcFile.readLine("/sys/devices/system/cpu/online")?.trimmedWhitespace() ?? "unknown"
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit)
        // RLIM_INFINITY is all ones.
        func finite(_ v: rlim_t) -> UInt64? { v == rlim_t.max ? nil : UInt64(v) }
        let formatter = ISO8601DateFormatter()
        return Environment(
            hostname: field(names.nodename), timestamp: formatter.string(from: Date()),
            kernelRelease: field(names.release), kernelVersion: field(names.version), machine: field(names.machine),
            cpuModel: cpuinfo.model, cpuCount: cpuinfo.logicalCount, physicalCores: cpuinfo.physicalCores,
            onlineCPUs: online, onlineCPUCount: CPUInfo.countCPUList(online),
            mitigations: vulnerabilities(), liburingVersion: liburingVersion(),
            javaScriptCoreVersion: run(["pkg-config", "--modversion", "javascriptcoregtk-4.1"]),
            ioUringDisabled: ProcFile.readLine("/proc/sys/kernel/io_uring_disabled").flatMap { Int($0.trimmedWhitespace()) },
            perfEventParanoid: ProcFile.readLine("/proc/sys/kernel/perf_event_paranoid").flatMap { Int($0.trimmedWhitespace()) },
            memlockSoftBytes: finite(limit.rlim_cur), memlockHardBytes: finite(limit.rlim_max))
    }

    /// Each file of a vulnerabilities directory to its (first-line) state.
    public static func vulnerabilities(in directory: String = "/sys/devices/system/cpu/vulnerabilities") -> [String: String] {
        var result: [String: String] = [:]
        for name in ProcFile.list(directory) {
            result[name] = ProcFile.readLine("\(directory)/\(name)")?.trimmedWhitespace() ?? "unreadable"
        }
        return result
    }

    /// pkg-config's answer first (what we compiled against), dpkg's package version otherwise.
    static func liburingVersion() -> String? {
        run(["pkg-config", "--modversion", "liburing"]) ?? run(["dpkg-query", "-W", "-f=${Version}", "liburing-dev"])
    }

    /// Runs a tool through /usr/bin/env and returns its trimmed stdout, or nil on failure.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmedWhitespace()
        return text.isEmpty ? nil : text
    }
}

/// The parts of /proc/cpuinfo a report needs.
public struct CPUInfo: Sendable, Equatable {
    public var model: String
    public var logicalCount: Int
    public var physicalCores: Int?

    public static func parse(_ text: String) -> CPUInfo {
        var model = "unknown"
        var logical = 0
        var cores = Set<String>()
        var physicalID = ""
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmedWhitespace()
            let value = line[line.index(after: colon)...].trimmedWhitespace()
            switch key {
            case "processor": logical += 1
            case "model name": if model == "unknown" { model = value }
            case "physical id": physicalID = value
            case "core id": cores.insert(physicalID + "/" + value)
            default: break
            }
        }
        return CPUInfo(model: model, logicalCount: logical, physicalCores: cores.isEmpty ? nil : cores.count)
    }

    /// Counts a kernel CPU list such as "0-3,6,8-9" (10 -> 7); 0 when unparseable.
    public static func countCPUList(_ list: String) -> Int {
        var count = 0
        for part in list.split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0.trimmedWhitespace()) }
            if ends.count == 2, ends[1] >= ends[0] { count += ends[1] - ends[0] + 1 } else if ends.count == 1 { count += 1 }
        }
        return count
    }
}
