// WorkerSpawner: starts `isoring worker ...` with posix_spawn (spawn and exec, never a bare
// fork of this multi-threaded process), its channel end on descriptor 3.
#if canImport(Glibc)
import Glibc
#endif

public enum WorkerSpawner {
    /// The descriptor number the worker finds its channel on.
    public static let channelFd: Int32 = 3

    /// Spawns `executable arguments...` with `channel` dup2'd onto descriptor 3. Every other
    /// descriptor of the front is close-on-exec. The child gets an empty signal mask and
    /// default SIGTERM/SIGINT (the front blocks them in its threads for sigwait, and a
    /// spawned process inherits the spawning thread's mask). Returns the pid.
    static func spawn(executable: String, arguments: [String], channel: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, channel, channelFd)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw SupervisorError("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        return pid
    }
}
