// PerfEvent: one counting perf_event_open(2) descriptor (tracepoint or software event).
#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Whose events a counter sees.
public enum PerfScope: Sendable, Equatable {
    /// pid 0, cpu -1, inherit 1: the calling thread and every thread or process it creates
    /// AFTER the counter is opened. Threads that already exist are not counted.
    case callingThreadAndDescendants
    /// pid N, cpu -1, inherit 0: one task (for a process id, its main thread only), which
    /// is exact for a single-threaded worker process.
    case task(pid: Int32)
}

/// A counting perf event. The kernel value is read with read(2) as
/// {value, time_enabled, time_running} (PERF_FORMAT_TOTAL_TIME_ENABLED | _RUNNING, set by
/// isoring_perf_event_open). Software and tracepoint events are never multiplexed, so the
/// value is used unscaled.
public final class PerfEvent: Sendable {
    /// perf_event_attr.type values from linux/perf_event.h.
    public static let typeSoftware: UInt32 = 1
    public static let typeTracepoint: UInt32 = 2

    public let fd: Int32
    public let label: String

    /// Opens the event disabled; call enable(). Throws a reason naming the likely cause.
    public init(type: UInt32, config: UInt64, label: String, scope: PerfScope)
        throws(MeasurementUnavailable)
    {
        let pid: Int32
        let inherit: Int32
        switch scope {
        case .callingThreadAndDescendants: (pid, inherit) = (0, 1)
        case .task(let p): (pid, inherit) = (p, 0)
        }
        let fd = isoring_perf_event_open(type, config, pid, -1, inherit)
        if fd < 0 {
            throw MeasurementUnavailable(source: label, reason: PerfEvent.explain(errno: errno, pid: pid))
        }
        self.fd = fd
        self.label = label
    }

    deinit { close(fd) }

    /// The count so far (including inherited children, which the kernel sums on read),
    /// or nil when read(2) fails (for example the target process has been reaped).
    public func read() -> UInt64? {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &buffer) { Glibc.read(fd, $0.baseAddress, $0.count) }
        return n == MemoryLayout<(UInt64, UInt64, UInt64)>.size ? buffer.0 : nil
    }

    /// PERF_EVENT_IOC_ENABLE, DISABLE, RESET (the kernel applies them to inherited children).
    public func enable() { _ = isoring_perf_event_enable(fd) }
    public func disable() { _ = isoring_perf_event_disable(fd) }
    public func reset() { _ = isoring_perf_event_reset(fd) }

    /// A reason a user can act on for a refused perf_event_open.
    static func explain(errno code: Int32, pid: Int32) -> String {
        let paranoid = ProcFile.readLine("/proc/sys/kernel/perf_event_paranoid") ?? "unknown"
        switch code {
        case EACCES, EPERM:
            return "perf_event_open refused: \(errnoText(code)); euid \(geteuid()), "
                + "kernel.perf_event_paranoid=\(paranoid) (run as root or with CAP_PERFMON, or lower "
                + "the sysctl to -1; seccomp in containers can also refuse it)"
        case ENOENT, EINVAL:
            return "perf_event_open rejected the event: \(errnoText(code)) (unknown tracepoint id "
                + "or an unsupported attribute on this kernel)"
        case ESRCH:
            return "perf_event_open: no process \(pid): \(errnoText(code))"
        case ENOSYS:
            return "perf_event_open is not available: \(errnoText(code)) (kernel without CONFIG_PERF_EVENTS)"
        case EMFILE, ENFILE:
            return "perf_event_open: out of file descriptors: \(errnoText(code))"
        default:
            return "perf_event_open failed: \(errnoText(code)); kernel.perf_event_paranoid=\(paranoid)"
        }
    }
}
