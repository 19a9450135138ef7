// ProbeCosts: `isoring probe --syscall-cost` and `--context-switch`: what a kernel entry, a vDSO call, a
// context switch between threads or processes, and a call into another isolate cost on this machine.
import CLinux
import Foundation
import JSCGlue
import Measurement
import Platform
#if canImport(Glibc)
import Glibc
#endif

enum ProbeCosts {
    /// Nanoseconds per call: the best of five rounds of `n` calls (the least disturbed round on
    /// a shared machine), minus nothing: the loop's own cost is under a nanosecond.
    static func nanosPerCall(_ n: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<5 {
            let t0 = monotonicNanos()
            for _ in 0..<n { body() }
            best = min(best, Double(monotonicNanos() - t0) / Double(n))
        }
        return best
    }

    /// A syscall that does no work (getppid: glibc does not cache it), two clock reads (one
    /// through the vDSO, one that enters the kernel), and a 1-byte read.
    static func syscallCost(iterations n: Int) -> [(String, Double)] {
        var ts = timespec()
        let zero = open("/dev/zero", O_RDONLY)
        defer { close(zero) }
        var byte: UInt8 = 0
        return [
            ("getppid() (syscall, no work: the kernel entry and exit alone)", nanosPerCall(n) { _ = getppid() }),
            ("clock_gettime(CLOCK_MONOTONIC) (vDSO: no kernel entry)", nanosPerCall(n) { clock_gettime(CLOCK_MONOTONIC, &ts) }),
            ("clock_gettime(CLOCK_THREAD_CPUTIME_ID) (syscall: JavaScriptCore's watchdog clock)",
             nanosPerCall(n) { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) }),
            ("read(/dev/zero, 1 byte) (syscall with a copy to user space)", nanosPerCall(n) { _ = read(zero, &byte, 1) }),
        ]
    }

    /// One byte back and forth over two pipes between two threads of this process; both
    /// threads pinned to `cpus` (the same CPU forces a switch per hop). Returns ns per round
    /// trip and this process's voluntary context switches per round trip.
    static func threadPingPong(rounds: Int, cpus: (Int32, Int32)) -> (Double, Double) {
        var ab: [Int32] = [0, 0], ba: [Int32] = [0, 0]
        _ = pipe(&ab)
        _ = pipe(&ba)
        defer { for fd in ab + ba { close(fd) } }
        let (abRead, baWrite) = (ab[0], ba[1])
        let echo = Thread {
            _ = isoring_pin_to_cpu(cpus.1)
            var b: UInt8 = 0
            while read(abRead, &b, 1) == 1 { if b == 0 { break }; _ = write(baWrite, &b, 1) }
        }
        echo.start()
        _ = isoring_pin_to_cpu(cpus.0)
        let result = pingPong(rounds: rounds, write: ab[1], read: ba[0])
        var stop: UInt8 = 0
        _ = write(ab[1], &stop, 1)
        return result
    }

    /// The same over a child process (`isoring probe --pipe-echo`) pinned to `cpus.1`.
    static func processPingPong(rounds: Int, cpus: (Int32, Int32)) throws -> (Double, Double) {
        _ = isoring_pin_to_cpu(cpus.0)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["probe", "--pipe-echo", "--echo-cpu", "\(cpus.1)"]
        let toChild = Pipe(), fromChild = Pipe()
        child.standardInput = toChild
        child.standardOutput = fromChild
        try child.run()
        defer {
            try? toChild.fileHandleForWriting.close()
            child.waitUntilExit()
        }
        // The first byte waits for the child to start; not measured.
        var b: UInt8 = 1
        _ = write(toChild.fileHandleForWriting.fileDescriptor, &b, 1)
        _ = read(fromChild.fileHandleForReading.fileDescriptor, &b, 1)
        let pid = child.processIdentifier
        return pingPong(rounds: rounds, write: toChild.fileHandleForWriting.fileDescriptor,
                        read: fromChild.fileHandleForReading.fileDescriptor, other: { switchesOf(pid: pid) })
    }

    /// Voluntary + involuntary context switches of a single-threaded process (/proc/PID/status).
    static func switchesOf(pid: Int32) -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").reduce(0) { sum, line in
            guard line.hasPrefix("voluntary_ctxt_switches:") || line.hasPrefix("nonvoluntary_ctxt_switches:") else { return sum }
            return sum + (line.split(separator: ":").last.flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) } ?? 0)
        }
    }

    /// Round trips of one byte; returns ns per round trip and context switches (voluntary and
    /// involuntary, this process's threads plus `other`, the echoing child) per round trip.
    static func pingPong(rounds: Int, write w: Int32, read r: Int32, other: () -> UInt64 = { 0 }) -> (Double, Double) {
        var b: UInt8 = 1
        func switches() -> UInt64 {
            let u = ResourceUsage.current(.process)
            return u.voluntaryContextSwitches + u.involuntaryContextSwitches + other()
        }
        let before = switches()
        let t0 = monotonicNanos()
        for _ in 0..<rounds {
            _ = write(w, &b, 1)
            _ = read(r, &b, 1)
        }
        let ns = Double(monotonicNanos() - t0) / Double(rounds)
        return (ns, Double(switches() - before) / Double(rounds))
    }

    /// `--pipe-echo`: echo bytes from stdin to stdout until EOF (the other end of processPingPong).
    static func pipeEcho(cpu: Int32) {
        _ = isoring_pin_to_cpu(cpu)
        var b: UInt8 = 0
        while read(0, &b, 1) == 1 { _ = write(1, &b, 1) }
    }

    /// Calls a trivial function in two JavaScriptCore context groups (two isolates: separate
    /// VMs and heaps) in turn, as the loop does when consecutive requests go to different
    /// tenants; and the same call into one group, for comparison. ns per call.
    static func isolateCalls(iterations n: Int) throws -> (other: Double, same: Double) {
        let contexts = [JSCContext(group: JSCContextGroup()), JSCContext(group: JSCContextGroup())]
        var functions: [JSCValue] = []
        for c in contexts {
            let f = try c.evaluate("(function (x) { return x + 1; })")
            c.protect(f)
            functions.append(f)
        }
        let args = contexts.map { $0.number(1) }
        var k = 0
        let other = nanosPerCall(n) {
            k ^= 1
            _ = try? contexts[k].call(functions[k], args[k])
        }
        let same = nanosPerCall(n) { _ = try? contexts[0].call(functions[0], args[0]) }
        return (other, same)
    }
}
