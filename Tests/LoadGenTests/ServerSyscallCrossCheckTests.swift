// ServerSyscallCrossCheckTests: the server's own syscall count for a window agrees with `perf stat -p PID`.
import Foundation
import IOCore
import Measurement
import Testing
@testable import LoadGen
#if canImport(Glibc)
import Glibc
#endif

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// The built `isoring` (next to the test bundle, or .build/debug), or $ISORING_BIN.
let isoringBinary: String? = {
    if let p = ProcessInfo.processInfo.environment["ISORING_BIN"] { return p }
    let next = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("isoring").path
    if FileManager.default.isExecutableFile(atPath: next) { return next }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let built = root.appendingPathComponent(".build/debug/isoring").path
    return FileManager.default.isExecutableFile(atPath: built) ? built : nil
}()

let perfPath = findExecutable("perf")

/// posix_spawn with every signal unblocked and at its default action.
func spawnWithDefaultSignals(_ argv: [String]) throws -> pid_t {
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var cargs = argv.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, argv[0], &actions, &attr, &cargs, environ)
    guard rc == 0 else { throw LoadError(message: "posix_spawn \(argv[0]): errno \(rc)") }
    return pid
}

@Suite(.serialized,
       .enabled(if: perfPath != nil, "perf is not installed"),
       .enabled(if: isoringBinary != nil, "the isoring binary is not built (swift build)"))
struct ServerSyscallCrossCheckTests {
    /// perf starts disabled (-D -1) and is enabled over its control fifo before the window
    /// starts and disabled after it stops, so both count the same stretch of the server's
    /// life, apart from the few syscalls of the two control requests themselves.
    @Test func serverWindowSyscallsMatchPerfStatWithinFivePercent() throws {
        let perf = perfPath!
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-xcheck-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let probe = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        let port = Socket.localPort(probe)
        close(probe)

        let server = Process()
        server.executableURL = URL(fileURLWithPath: isoringBinary!)
        server.arguments = ["serve", "--port", "\(port)", "--io", "epoll", "--report", dir.appendingPathComponent("report").path]
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var up = false
        for _ in 0..<200 {
            if let r = try? ControlClient.request(host: "127.0.0.1", port: port, method: "GET", path: "/__isoring/metrics", timeoutSeconds: 2),
               r.status == 200 { up = true; break }
            usleep(50_000)
        }
        try #require(up, "isoring serve did not answer on port \(port)")

        let ctl = dir.appendingPathComponent("ctl").path, ack = dir.appendingPathComponent("ack").path
        let out = dir.appendingPathComponent("perf.csv").path
        #expect(mkfifo(ctl, 0o600) == 0 && mkfifo(ack, 0o600) == 0)
        // perf ends on SIGINT, which the test runner blocks: spawn it with a clean signal mask.
        let perfPID = try spawnWithDefaultSignals([perf, "stat", "-e", "raw_syscalls:sys_enter", "-x", ",", "-o", out, "-D", "-1",
                                                   "--control", "fifo:\(ctl),\(ack)", "-p", "\(server.processIdentifier)"])
        var perfReaped = false
        defer { if !perfReaped { kill(perfPID, SIGKILL); var st: Int32 = 0; waitpid(perfPID, &st, 0) } }
        let ctlFD = open(ctl, O_WRONLY), ackFD = open(ack, O_RDONLY)
        defer { close(ctlFD); close(ackFD) }
        func perfCommand(_ text: String) -> Bool {
            var bytes = Array((text + "\n").utf8)
            _ = write(ctlFD, &bytes, bytes.count)
            var reply = [UInt8](repeating: 0, count: 16)
            let got = read(ackFD, &reply, reply.count)
            return got > 0 && String(decoding: reply[0..<max(got, 0)], as: UTF8.self).hasPrefix("ack")
        }
        #expect(perfCommand("enable"))

        let started = try ControlClient.request(host: "127.0.0.1", port: port, method: "POST", path: "/__isoring/window/start")
        #expect(started.status == 200)
        var o = LoadOptions()
        o.port = port
        o.connections = 4
        o.requests = 3000
        let settings = LoadSettings(target: "", model: "closed", connections: 4, pipeline: 1, threads: 1, rate: nil,
                                    durationSeconds: nil, requestLimit: 3000, warmupSeconds: 0, tenants: 0, zipfExponent: 0,
                                    tenantOrder: "zipf", io: "poll", cpu: nil)
        let load = try LoadGenerator(options: o) { PollEngine() }.run(settings: settings)
        #expect(load.requests == 3000)
        let stopped = try ControlClient.request(host: "127.0.0.1", port: port, method: "POST", path: "/__isoring/window/stop")
        #expect(perfCommand("disable"))
        kill(perfPID, SIGINT)
        var status: Int32 = 0
        waitpid(perfPID, &status, 0)
        perfReaped = true
        try #require(stopped.status == 200)
        let record = try JSONDecoder().decode(ServerWindowRecord.self, from: Data(stopped.body))
        // The same record was written to the report folder.
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report/window-1.json").path))
        #expect(record.window.requests >= 3000)

        guard let ours = record.window.syscalls?.total else {
            Issue.record("the server could not count syscalls: \(record.window.missing["syscalls"] ?? "?")")
            return
        }
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        let line = csv.split(separator: "\n").first { $0.contains("raw_syscalls:sys_enter") }
        let theirs = line.flatMap { UInt64($0.split(separator: ",", omittingEmptySubsequences: false)[0]) }
        try #require(theirs != nil, "perf output: \(csv)")
        print("server window syscalls: ours \(ours), perf stat \(theirs!)")
        #expect(ours >= 3000)
        let difference = Double(ours > theirs! ? ours - theirs! : theirs! - ours)
        #expect(difference / Double(theirs!) < 0.05, "ours \(ours), perf \(theirs!)")
    }
}
