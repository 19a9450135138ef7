// ChildProcess: spawns and reaps helper processes for the measurement tests (posix_spawn).
#if canImport(Glibc)
import Glibc
#endif

/// A child started with posix_spawn from the CALLING thread, so perf counters opened with
/// inherit = 1 on this thread see it. Every test that starts one waits for it.
struct ChildProcess {
    let pid: pid_t
    /// Write end of the child's stdin pipe, or -1.
    var stdinWriter: Int32

    /// Spawns argv[0] (a path) with a pipe on stdin and stdout/stderr to /dev/null.
    static func spawn(_ argv: [String], pipeStdin: Bool = true) -> ChildProcess? {
        var fds: [Int32] = [-1, -1]
        if pipeStdin && pipe(&fds) != 0 { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipeStdin {
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ)
        if pipeStdin { close(fds[0]) }
        if rc != 0 {
            if pipeStdin { close(fds[1]) }
            return nil
        }
        return ChildProcess(pid: pid, stdinWriter: pipeStdin ? fds[1] : -1)
    }

    /// Sends a line to the child's stdin.
    func send(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(stdinWriter, &bytes, bytes.count)
    }

    /// Closes stdin and waits for the child; returns its exit status (or -1).
    mutating func wait() -> Int32 {
        if stdinWriter >= 0 { close(stdinWriter); stdinWriter = -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }
}

/// Finds an executable on the usual paths.
func executable(_ name: String) -> String? {
    ["/usr/bin/", "/bin/", "/usr/local/bin/", "/usr/sbin/"].map { $0 + name }.first { access($0, X_OK) == 0 }
}
