// `isoring probe`: what this kernel offers: io_uring and its features, limits, mitigations.
import ArgumentParser
import EngineURing
import Measurement

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the kernel, io_uring availability and features (probed, not assumed), the memlock limit and CPU mitigations.")

    func run() throws {
        let env = Environment.collect()
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
}
