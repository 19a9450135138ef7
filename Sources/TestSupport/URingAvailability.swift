// URingAvailability: whether io_uring can be used here, and if not, the reason a test skips with.
import CLinux
#if canImport(Glibc)
import Glibc
#endif

public enum URingAvailability {
    /// Nil when a one-entry ring can be created; otherwise why not (sysctl, seccomp, kernel).
    public static let unavailableReason: String? = {
        let rc = isoring_io_uring_setup_probe()
        if rc == 0 { return nil }
        switch -rc {
        case EPERM: return "io_uring is forbidden (kernel.io_uring_disabled sysctl or seccomp: EPERM)"
        case ENOSYS: return "io_uring is missing or filtered by seccomp (ENOSYS)"
        default: return "io_uring_setup failed with errno \(-rc)"
        }
    }()

    public static var isAvailable: Bool { unavailableReason == nil }
}
