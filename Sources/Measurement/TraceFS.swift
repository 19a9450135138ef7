// TraceFS: finds (or mounts) tracefs and looks up tracepoint ids for perf_event_open.
#if canImport(Glibc)
import Glibc
#endif

/// Where tracepoint ids live. perf_event_open(PERF_TYPE_TRACEPOINT) takes the numeric id the
/// kernel publishes at `<tracefs>/events/<category>/<name>/id`; without tracefs mounted there
/// is no way to learn it, so this type mounts tracefs at /sys/kernel/tracing when root.
public enum TraceFS {
    /// Candidate mount points, newest convention first.
    static let candidates = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]

    /// The tracefs root and whether this process mounted it (reports say so).
    public struct Location: Sendable, Equatable {
        public let path: String
        public let mountedByUs: Bool
    }

    /// Finds a tracefs with an events/ directory; if none and we are root, mounts one with
    /// mount(2) ("tracefs" on /sys/kernel/tracing). Throws with the reason otherwise.
    public static func locate(mountIfNeeded: Bool = true) throws(MeasurementUnavailable) -> Location {
        if let found = candidates.first(where: { ProcFile.exists($0 + "/events") }) {
            return Location(path: found, mountedByUs: false)
        }
        guard mountIfNeeded else {
            throw MeasurementUnavailable(source: "tracefs", reason: "tracefs is not mounted "
                + "(mount -t tracefs nodev /sys/kernel/tracing)")
        }
        guard geteuid() == 0 else {
            throw MeasurementUnavailable(source: "tracefs", reason: "tracefs is not mounted and "
                + "mounting it needs root (mount -t tracefs nodev /sys/kernel/tracing)")
        }
        let target = candidates[0]
        if mount("nodev", target, "tracefs", 0, nil) != 0 {
            let code = errno
            // Another process may have mounted it between the check and our call.
            if ProcFile.exists(target + "/events") { return Location(path: target, mountedByUs: false) }
            throw MeasurementUnavailable(source: "tracefs", reason: "mounting tracefs at \(target) "
                + "failed: \(errnoText(code)); is CONFIG_TRACING enabled?")
        }
        return Location(path: target, mountedByUs: true)
    }

    /// The id of tracepoint `category:name`, e.g. ("raw_syscalls", "sys_enter").
    public static func tracepointID(category: String, name: String, in location: Location)
        throws(MeasurementUnavailable) -> UInt64
    {
        let path = "\(location.path)/events/\(category)/\(name)/id"
        guard let line = ProcFile.readLine(path) else {
            throw MeasurementUnavailable(source: "\(category):\(name)",
                reason: "no tracepoint at \(path) (kernel without it, or CONFIG_FTRACE_SYSCALLS off)")
        }
        guard let id = UInt64(line.trimmedWhitespace()) else {
            throw MeasurementUnavailable(source: "\(category):\(name)", reason: "unreadable id '\(line)' in \(path)")
        }
        return id
    }
}

extension StringProtocol {
    /// Trims spaces, tabs and newlines from both ends (no Foundation needed).
    func trimmedWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
