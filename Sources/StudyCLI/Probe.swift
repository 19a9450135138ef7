// `isoring probe`: what this kernel offers (io_uring and its features, limits, mitigations), and with
// --syscall-cost / --context-switch what its kernel entries and context switches cost here.
import ArgumentParser
import EngineURing
import Foundation
import Measurement

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the kernel, io_uring availability and features (probed, not assumed), the memlock limit and CPU mitigations.",
        discussion: """
            --syscall-cost: ns per syscall with this CPU's mitigations beside a vDSO call (Kernel-notes/syscalls.md).
            --context-switch: pipe ping-pong between two threads and two processes, and a call into another isolate \
            (Kernel-notes/context-switches.md).
            """)

    @Flag(help: "Measure a syscall round trip (getppid, a kernel clock read, a 1-byte read) beside a vDSO clock read.")
    var syscallCost = false

    @Flag(help: "Measure context switches: pipe ping-pong between threads and between processes, on one CPU and across two; and a call into another isolate.")
    var contextSwitch = false

    @Option(help: "Calls per round for --syscall-cost and the isolate calls (best of 5 rounds).")
    var iterations = 1_000_000

    @Option(help: "Round trips for --context-switch.")
    var rounds = 100_000

    @Flag(help: "Internal: echo stdin to stdout byte by byte (the child process of --context-switch's ping-pong).")
    var pipeEcho = false

    @Option(help: "Internal: the CPU --pipe-echo pins itself to.")
    var echoCpu: Int32 = 0

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive, got \(iterations)") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive, got \(rounds)") }
    }

    func run() throws {
        if pipeEcho { return ProbeCosts.pipeEcho(cpu: echoCpu) }
        let env = Environment.collect()
        if syscallCost || contextSwitch {
            print("kernel: Linux \(env.kernelRelease), cpu: \(env.cpuModel)")
            let active = env.mitigations.filter { $0.value.hasPrefix("Mitigation") }.map { "\($0.key) (\($0.value))" }.sorted()
            print("mitigations: " + (active.isEmpty ? "none active" : active.joined(separator: "; ")))
        }
        if syscallCost {
            print("syscall cost, ns per call (best of 5 rounds of \(iterations)):")
            for (what, ns) in ProbeCosts.syscallCost(iterations: iterations) { print(String(format: "  %8.1f  %@", ns, what)) }
        }
        if contextSwitch { try printContextSwitches(online: env.onlineCPUCount) }
        if syscallCost || contextSwitch { return }
        print("kernel: Linux \(env.kernelRelease) \(env.machine)")
        print("cpu: \(env.cpuModel), \(env.onlineCPUCount) online (\(env.onlineCPUs))")
        print("liburing: \(env.liburingVersion ?? "unknown"), JavaScriptCore: \(env.javaScriptCoreVersion ?? "unknown")")
        print("kernel.io_uring_disabled: \(env.ioUringDisabled.map(String.init) ?? "absent (io_uring predates the sysctl)")")
        print("kernel.perf_event_paranoid: \(env.perfEventParanoid.map(String.init) ?? "unknown")")
        print(URingEngine.probe().description)
        func bytes(_ b: UInt64?) -> String {
            guard let b else { return "unknown" }
            return b == UInt64.max ? "unlimited" : "\(b / 1024) KiB"
        }
        print("memlock limit (RLIMIT_MEMLOCK): soft \(bytes(env.memlockSoftBytes)), hard \(bytes(env.memlockHardBytes))")
        print("  (since Linux 5.12 io_uring charges ring memory to the memory cgroup, not to memlock)")
        print("cpu vulnerabilities and mitigations (/sys/devices/system/cpu/vulnerabilities):")
        for (name, value) in env.mitigations.sorted(by: { $0.key < $1.key }) {
            print("  \(name): \(value)")
        }
    }

    func printContextSwitches(online: Int) throws {
        print("context switches, pipe ping-pong (1 byte each way), \(rounds) round trips; 'switches' = context switches")
        print("(voluntary + involuntary) of both sides per round trip (getrusage, and /proc/PID/status for the child):")
        var placements: [(String, (Int32, Int32))] = [("same CPU (0)", (0, 0))]
        if online > 1 { placements.append(("CPUs 0 and 1", (0, 1))) }
        for (where_, cpus) in placements {
            let (tns, tsw) = ProbeCosts.threadPingPong(rounds: rounds, cpus: cpus)
            print(String(format: "  %9.0f ns/round trip, %.2f switches  two threads, %@", tns, tsw, where_))
            let (pns, psw) = try ProbeCosts.processPingPong(rounds: rounds, cpus: cpus)
            print(String(format: "  %9.0f ns/round trip, %.2f switches  two processes, %@", pns, psw, where_))
        }
        let calls = try ProbeCosts.isolateCalls(iterations: max(1, iterations / 10))
        print("a call into another isolate (JSObjectCallAsFunction, two JavaScriptCore context groups in turn), no switch:")
        print(String(format: "  %9.1f ns/call  alternating two isolates\n  %9.1f ns/call  the same isolate", calls.other, calls.same))
    }
}
