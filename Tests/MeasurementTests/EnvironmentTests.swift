// EnvironmentTests: cpuinfo and CPU-list parsing, vulnerabilities, and a real collection.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Measurement

struct EnvironmentTests {
    @Test func cpuinfoCountsLogicalAndPhysicalCores() {
        let text = """
            processor\t: 0
            model name\t: AMD EPYC 7B13
            physical id\t: 0
            core id\t\t: 0

            processor\t: 1
            model name\t: AMD EPYC 7B13
            physical id\t: 0
            core id\t\t: 0
            """
        let info = CPUInfo.parse(text)
        #expect(info.model == "AMD EPYC 7B13")
        #expect(info.logicalCount == 2)
        #expect(info.physicalCores == 1)
    }

    @Test func cpuListsCountRangesAndSingles() {
        #expect(CPUInfo.countCPUList("0-3,6,8-9") == 7)
        #expect(CPUInfo.countCPUList("0") == 1)
        #expect(CPUInfo.countCPUList("") == 0)
    }

    @Test func vulnerabilitiesReadEachFileOfADirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-vuln-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "Mitigation: PTI\n".write(to: dir.appendingPathComponent("meltdown"), atomically: true, encoding: .utf8)
        try "Not affected\n".write(to: dir.appendingPathComponent("l1tf"), atomically: true, encoding: .utf8)
        let v = Environment.vulnerabilities(in: dir.path)
        #expect(v == ["meltdown": "Mitigation: PTI", "l1tf": "Not affected"])
    }

    @Test func collectFillsKernelCPUAndVersionsAndEncodes() throws {
        let env = Environment.collect()
        #expect(!env.kernelRelease.isEmpty)
        #expect(env.cpuCount >= 1)
        #expect(env.onlineCPUCount >= 1)
        #expect(env.perfEventParanoid != nil)
        if ProcFile.exists("/sys/devices/system/cpu/vulnerabilities") { #expect(!env.mitigations.isEmpty) }
        let json = try JSONEncoder().encode(env)
        #expect(try JSONDecoder().decode(Environment.self, from: json) == env)
    }
}
