// SyscallCounterTests: the in-process syscall counter against known workloads and perf stat.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Measurement

/// Why perf counting is unavailable here, or nil when it works (tests skip with the reason).
let perfRefusal: String? = {
    do { _ = try SyscallCounter.open(names: []); return nil } catch { return "\(error)" }
}()

// Each test body is synchronous: a counter opened with pid 0 counts the calling thread, so
// the test must not hop threads between opening it and making the syscalls.
@Suite(.enabled(if: perfRefusal == nil, "perf_event_open unavailable: \(perfRefusal ?? "")"))
struct SyscallCounterTests {
    @Test func countsAThousandGetppidCallsOnThisThread() throws {
        let counter = try SyscallCounter.open(names: SyscallCounter.trackedNames + ["getppid"])
        let start = counter.read()
        for _ in 0..<1000 { _ = getppid() }
        let delta = counter.read() - start
        #expect(delta.byName["getppid"] == 1000)
        // Only the counter's own reads (one per descriptor) may add to the total.
        #expect(delta.total >= 1000)
        #expect(delta.total <= 1000 + UInt64(counter.names.count) + 5)
    }

    @Test func countsReadsAndWritesByNameThroughAPipe() throws {
        let counter = try SyscallCounter.open()
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var byte: UInt8 = 7
        let start = counter.read()
        for _ in 0..<100 {
            _ = write(fds[1], &byte, 1)
            _ = read(fds[0], &byte, 1)
        }
        let delta = counter.read() - start
        #expect(delta.byName["write"] == 100)
        // The counter's own read(2) calls land in "read" too, at most one per descriptor.
        let reads = delta.byName["read"] ?? 0
        #expect(reads >= 100 && reads <= 100 + UInt64(counter.names.count) + 1)
        #expect(delta.total >= 200)
    }

    @Test func countsAThreadCreatedAfterOpening() throws {
        let counter = try SyscallCounter.open(names: ["getppid", "clone", "clone3"])
        let start = counter.read()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { _ in
            for _ in 0..<500 { _ = getppid() }
            return nil
        }, nil)
        #expect(rc == 0)
        pthread_join(thread, nil)
        let delta = counter.read() - start
        #expect(delta.byName["getppid"] == 500)
        #expect((delta.byName["clone"] ?? 0) + (delta.byName["clone3"] ?? 0) >= 1)
    }

    @Test func doesNotCountAThreadThatExistedBeforeOpening() throws {
        // The thread starts first and waits; the counter opened afterwards must not see it.
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
        let box = Unmanaged.passRetained((ready, go) as AnyObject)
        var thread = pthread_t()
        #expect(pthread_create(&thread, nil, { arg in
            let (ready, go) = Unmanaged<AnyObject>.fromOpaque(arg!).takeRetainedValue()
                as! (DispatchSemaphore, DispatchSemaphore)
            ready.signal()
            go.wait()
            for _ in 0..<500 { _ = getppid() }
            return nil
        }, box.toOpaque()) == 0)
        ready.wait()
        let counter = try SyscallCounter.open(names: ["getppid"])
        let start = counter.read()
        go.signal()
        pthread_join(thread, nil)
        let delta = counter.read() - start
        #expect(delta.byName["getppid"] == 0)
    }

    @Test func countsAChildProcessWhileAliveAndAfterItExits() throws {
        let sh = try #require(executable("sh")), dd = try #require(executable("dd"))
        let counter = try SyscallCounter.open(names: ["read", "write"])
        let start = counter.read()
        // dd bs=1 count=3000: one read and one write per byte, then the shell waits on stdin.
        guard var child = ChildProcess.spawn([sh, "-c", "\(dd) if=/dev/zero of=/dev/null bs=1 count=3000; read x; exit 0"])
        else { Issue.record("spawn failed"); return }
        var alive = counter.read() - start
        let deadline = Date().addingTimeInterval(10)
        while (alive.byName["write"] ?? 0) < 3000 && Date() < deadline {
            usleep(10_000)
            alive = counter.read() - start
        }
        #expect(kill(child.pid, 0) == 0, "the shell must still be alive while we read")
        #expect((alive.byName["write"] ?? 0) >= 3000)
        #expect(child.wait() == 0)
        let after = counter.read() - start
        #expect((after.byName["write"] ?? 0) >= 3000)
        #expect(after.total >= alive.total)
    }

    @Test func reportsUnavailableNamesInsteadOfFailing() throws {
        let counter = try SyscallCounter.open(names: ["getppid", "no_such_syscall_xyz"])
        #expect(counter.names == ["getppid"])
        #expect(counter.unavailable["no_such_syscall_xyz"] != nil)
    }

    @Test func disableStopsCountingAndResetZeroes() throws {
        let counter = try SyscallCounter.open(names: ["getppid"])
        counter.disable()
        let before = counter.read()
        for _ in 0..<100 { _ = getppid() }
        #expect((counter.read() - before).byName["getppid"] == 0)
        counter.enable()
        for _ in 0..<10 { _ = getppid() }
        counter.reset()
        #expect(counter.read().byName["getppid"] == 0)
    }

    @Test func softwareEventsCountTaskClockAndContextSwitches() throws {
        let counter = try SoftwareEventCounter.open()
        let start = counter.read()
        for _ in 0..<20 { usleep(1000) }  // each sleep is a voluntary context switch
        var x: UInt64 = 0
        for i in 0..<2_000_000 { x &+= UInt64(i) &* 3 }
        #expect(x != 1)
        let delta = counter.read() - start
        #expect(delta.contextSwitches >= 20)
        #expect(delta.taskClockNanos > 0)
    }
}
