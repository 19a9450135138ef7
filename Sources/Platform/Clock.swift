// Clock: the one monotonic clock every target reads (a vDSO call, no syscall).
#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds. clock_gettime on this clock is answered by the vDSO, so it
/// costs no syscall (see Kernel-notes/javascriptcore.md for the CPU-time clocks, which do).
@inline(__always)
public func monotonicNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}
