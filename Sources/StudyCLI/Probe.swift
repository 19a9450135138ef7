// `isoring probe`: what this kernel offers: io_uring and its features, limits, mitigations.
import ArgumentParser
import EngineURing
import Foundation

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the kernel, io_uring availability and features (probed, not assumed), the memlock limit and CPU mitigations.")

    func run() throws {
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: &u.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        print("kernel: Linux \(release)")
        let disabled = (try? String(contentsOfFile: "/proc/sys/kernel/io_uring_disabled", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "absent"
        print("kernel.io_uring_disabled: \(disabled)")
        print(URingEngine.probe().description)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(8 /* RLIMIT_MEMLOCK */), &limit)
        print("memlock limit: \(limit.rlim_cur == rlim_t.max ? "unlimited" : "\(limit.rlim_cur / 1024) KiB")")
        let dir = "/sys/devices/system/cpu/vulnerabilities"
        print("cpu vulnerabilities and mitigations (\(dir)):")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for name in names {
            let value = (try? String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            print("  \(name): \(value)")
        }
    }
}
