// PerfCrossCheckTests: our per-process syscall count agrees with `perf stat -p PID` within 5%.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Measurement

let perfBinary = executable("perf")

@Suite(.enabled(if: perfRefusal == nil, "perf_event_open unavailable: \(perfRefusal ?? "")"),
       .enabled(if: perfBinary != nil, "perf is not installed"))
struct PerfCrossCheckTests {
    /// A shell waits on stdin, then execs dd (one read and one write per byte). Both counters
    /// attach while it waits; perf starts disabled (-D -1) and acknowledges "enable" on its
    /// control fifo, so neither misses the workload and no sleep-based guess is needed.
    @Test func perProcessCountMatchesPerfStatWithinFivePercent() throws {
        let sh = try #require(executable("sh")), dd = try #require(executable("dd")), perf = try #require(perfBinary)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-perf-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ctl = dir.appendingPathComponent("ctl").path, ack = dir.appendingPathComponent("ack").path
        let out = dir.appendingPathComponent("out.csv").path
        #expect(mkfifo(ctl, 0o600) == 0 && mkfifo(ack, 0o600) == 0)

        guard var worker = ChildProcess.spawn([sh, "-c", "read x; exec \(dd) if=/dev/zero of=/dev/null bs=1 count=20000"])
        else { Issue.record("spawn failed"); return }
        let ours = try SyscallCounter.open(pid: worker.pid, names: ["read", "write"])
        guard var perfStat = ChildProcess.spawn([perf, "stat", "-e", "raw_syscalls:sys_enter", "-x", ",",
                                                 "-o", out, "-D", "-1", "--control", "fifo:\(ctl),\(ack)",
                                                 "-p", "\(worker.pid)"], pipeStdin: false)
        else { Issue.record("perf spawn failed"); _ = worker.wait(); return }

        // open(2) on a fifo blocks until perf has its end open; perf then answers "ack".
        let ctlFD = open(ctl, O_WRONLY), ackFD = open(ack, O_RDONLY)
        var enable = Array("enable\n".utf8)
        _ = write(ctlFD, &enable, enable.count)
        var reply = [UInt8](repeating: 0, count: 16)
        let got = read(ackFD, &reply, reply.count)
        #expect(got > 0 && String(decoding: reply[0..<max(got, 0)], as: UTF8.self).hasPrefix("ack"))

        worker.send("go\n")
        #expect(worker.wait() == 0)
        let mine = ours.read()
        _ = perfStat.wait()  // perf stat -p ends when its target exits
        close(ctlFD); close(ackFD)

        let csv = try String(contentsOfFile: out, encoding: .utf8)
        let line = csv.split(separator: "\n").first { $0.contains("raw_syscalls:sys_enter") }
        let theirsParsed = line.flatMap { UInt64($0.split(separator: ",", omittingEmptySubsequences: false)[0]) }
        let theirs = try #require(theirsParsed, "perf output: \(csv)")
        print("perf cross-check: ours \(mine.total), perf stat \(theirs)")
        #expect(mine.total >= 40_000)
        #expect((mine.byName["write"] ?? 0) >= 20_000)
        let difference = Double(mine.total > theirs ? mine.total - theirs : theirs - mine.total)
        #expect(difference / Double(theirs) < 0.05, "ours \(mine.total), perf \(theirs)")
    }
}
