// URingMemlock: the message for ENOMEM at start-up, naming the memlock limit and its way out.
import Glibc

extension URingSetup {
    /// Pinned io_uring memory (the buffer ring's pages; before Linux 5.12 the rings too) counts
    /// against RLIMIT_MEMLOCK unless the process has CAP_IPC_LOCK, so ENOMEM at set-up usually
    /// means that limit. The sentence names the limit in force and what needed the memory.
    static func memlockMessage(_ what: String, bytes: Int?) -> String {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit)
        let current = limit.rlim_cur == rlim_t.max ? "unlimited" : "\(limit.rlim_cur / 1024) KiB"
        let need = bytes.map { " needs \(($0 + 1023) / 1024) KiB of locked memory, and" } ?? ""
        return "\(what)\(need) the memlock limit (RLIMIT_MEMLOCK) is \(current): raise it "
            + "(ulimit -l, prlimit --memlock, LimitMEMLOCK= for a systemd unit), or lower "
            + "--ring-entries / --buffers, or run with --buf-ring off or --io epoll"
    }
}
