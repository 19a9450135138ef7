// The lazy thread clock (Sources/CLinux/thread_clock.c) that `--cpu-limit-clock lazy` gives
// JavaScriptCore's watchdog: an upper bound from the vDSO, exact after a resync.
import CLinux
import Glibc
import Testing

@Suite("lazy thread CPU clock", .serialized)
struct LazyThreadClockTests {
    /// The test binary links CLinux statically, so these calls reach the interposed clock.
    func threadClock() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// The thread's CPU time straight from the kernel, past the interposer.
    func kernelThreadClock() -> Int64 { isoring_thread_cpu_ns_exact() }

    func onLazyThread<T>(_ body: () -> T) -> T {
        _ = isoring_thread_clock_set_mode(Int32(ISORING_THREAD_CLOCK_LAZY))
        defer { _ = isoring_thread_clock_set_mode(Int32(ISORING_THREAD_CLOCK_EXACT)) }
        return body()
    }

    @Test func timeOffTheCPUIsNotCounted() {
        let (lazyDelta, kernelDelta) = onLazyThread { () -> (Int64, Int64) in
            let lazy0 = threadClock(), kernel0 = kernelThreadClock()
            usleep(30_000)  // off the CPU: what is measured, not a wait for an event
            return (threadClock() - lazy0, kernelThreadClock() - kernel0)
        }
        // The read after the sleep resynchronises (the last real read is > 2 ms old), so the
        // sleep's 30 ms of wall time do not appear as CPU time.
        #expect(lazyDelta < kernelDelta + 2_000_000)
        #expect(lazyDelta < 10_000_000)
    }

    @Test func busyTimeIsCountedAndNeverUnderstated() {
        let (lazyDelta, kernelDelta, resyncs) = onLazyThread { () -> (Int64, Int64, UInt64) in
            let resyncs0 = isoring_thread_clock_resyncs()
            let lazy0 = threadClock(), kernel0 = kernelThreadClock()
            var reads = 0
            var last = lazy0
            var monotone = true
            // Spin for 20 ms of this thread's CPU time, reading the lazy clock all the while.
            while kernelThreadClock() - kernel0 < 20_000_000 {
                let now = threadClock()
                if now < last - 2_000_000 { monotone = false }
                last = now
                reads += 1
            }
            #expect(monotone, "a resync may step back by at most the 2 ms interval's off-CPU time")
            #expect(reads > 100)
            return (threadClock() - lazy0, kernelThreadClock() - kernel0, isoring_thread_clock_resyncs() - resyncs0)
        }
        #expect(lazyDelta >= kernelDelta - 2_000_000)
        #expect(lazyDelta <= kernelDelta + 2_000_000)
        // Real reads: one per 2 ms of wall time at most, not one per read.
        #expect(resyncs >= 1)
        #expect(resyncs < 1_000)
    }

    @Test func exactModeIsLibcs() {
        _ = isoring_thread_clock_set_mode(Int32(ISORING_THREAD_CLOCK_EXACT))
        let resyncs0 = isoring_thread_clock_resyncs()
        let a = threadClock()
        let b = kernelThreadClock()
        #expect(a <= b)
        #expect(isoring_thread_clock_resyncs() == resyncs0)
    }
}
