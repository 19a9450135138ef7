// URingSetup: turns URingOptions into set-up flags and registrations, and kernel refusals
// into messages that name the knob and the kernel feature behind it.
import CLiburing
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

enum URingSetup {
    static func setupFlags(_ o: URingOptions) -> UInt32 {
        // CLAMP: a large ringEntries times four may exceed the kernel's CQ limit; clamp, not fail.
        var flags = UInt32(IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP)
        if o.sqpoll { flags |= UInt32(IORING_SETUP_SQPOLL) }
        // TASKRUN_FLAG makes the kernel raise IORING_SQ_TASKRUN when task work waits, so the
        // reaper knows when an enter is needed instead of entering every tick.
        if o.coopTaskrun { flags |= UInt32(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG) }
        if o.deferTaskrun {
            flags |= UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN
                | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_R_DISABLED)
        }
        return flags
    }

    static func validate(_ o: URingOptions) throws(IOError) {
        func bad(_ what: String) -> IOError { IOError(errno: EINVAL, what: what) }
        if o.ringEntries == 0 || o.ringEntries > 32768 || o.ringEntries & (o.ringEntries - 1) != 0 {
            throw bad("ringEntries must be a power of two between 1 and 32768, got \(o.ringEntries)")
        }
        if o.bufferCount < 1 || o.bufferCount > 32768 {
            throw bad("bufferCount must be 1...32768 (buffer ring ids are 16-bit), got \(o.bufferCount)")
        }
        if o.bufferSize < 1 { throw bad("bufferSize must be positive") }
        if o.batch < 1 { throw bad("batch must be at least 1") }
        if o.waitBatch < 1 { throw bad("waitBatch must be at least 1") }
        if o.waitBatch > 1 && o.minWaitMicros == 0 {
            throw bad("--wait-batch above 1 needs --min-wait-us: else a wait could hold completions until the loop's 1 s timeout")
        }
    }

    /// Why io_uring_queue_init refused: tries each requested flag alone to find the culprit.
    static func setupError(errno e: Int32, options o: URingOptions) -> IOError {
        if e == ENOSYS || e == EPERM {
            return IOError(errno: e, what: unavailableReason(errno: e))
        }
        if e == ENOMEM {
            return IOError(errno: e, what: memlockMessage("io_uring_setup with --ring-entries \(o.ringEntries) failed for lack of memory (locked memory without CAP_IPC_LOCK, or the memory cgroup):", bytes: nil))
        }
        var refused: [String] = []
        if o.sqpoll, try_(UInt32(IORING_SETUP_SQPOLL)) {
            refused.append("--sqpoll (IORING_SETUP_SQPOLL)")
        }
        if o.coopTaskrun, try_(UInt32(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG)) {
            refused.append("--coop-taskrun (IORING_SETUP_COOP_TASKRUN, Linux 5.19)")
        }
        if o.deferTaskrun, try_(UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)) {
            refused.append("--defer-taskrun (IORING_SETUP_DEFER_TASKRUN with SINGLE_ISSUER, Linux 6.1)")
        }
        if refused.isEmpty {
            var on: [String] = []
            if o.sqpoll { on.append("--sqpoll") }
            if o.coopTaskrun { on.append("--coop-taskrun") }
            if o.deferTaskrun { on.append("--defer-taskrun") }
            let which = on.isEmpty ? "the default set-up" : on.joined(separator: " with ")
            return IOError(errno: e, what: "io_uring_setup refused \(which): the kernel accepts each "
                + "flag alone but not together (SQPOLL excludes the task-run flags)")
        }
        return IOError(errno: e, what: "io_uring_setup refused " + refused.joined(separator: ", "))
    }

    /// True when setup with `flags` fails (the name reads as "trying fails").
    private static func try_(_ flags: UInt32) -> Bool {
        let fd = isoring_uring_try_setup(8, flags)
        if fd >= 0 { close(fd); return false }
        return true
    }

    /// A sentence saying why io_uring cannot be used at all.
    static func unavailableReason(errno e: Int32) -> String {
        let sysctl = readSysctl("/proc/sys/kernel/io_uring_disabled")
        if let sysctl, sysctl != "0" {
            return "io_uring is disabled by the kernel.io_uring_disabled sysctl (= \(sysctl)); "
                + "use --io epoll, or set it to 0"
        }
        if e == ENOSYS {
            return "io_uring_setup returned ENOSYS: the kernel lacks io_uring or a seccomp filter "
                + "(container runtime) blocks it; use --io epoll"
        }
        return "io_uring_setup returned EPERM: a seccomp filter or the io_uring_group sysctl "
            + "forbids io_uring for this process; use --io epoll"
    }

    static func readSysctl(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, 64, f) != nil else { return nil }
        let bytes = line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).trimmed()
    }

    /// Refuses knobs whose opcodes or kernel floor are missing, before any SQE fails at run time.
    static func checkOpcodes(_ ring: UnsafeMutablePointer<io_uring>, _ o: URingOptions) throws(IOError) {
        guard let probe = io_uring_get_probe_ring(ring) else { return }
        defer { io_uring_free_probe(probe) }
        let version = KernelVersion.current
        if o.minWaitMicros > 0, isoring_uring_features(ring) & ISORING_FEAT_MIN_TIMEOUT == 0 {
            throw IOError(errno: EOPNOTSUPP, what: "--min-wait-us: the kernel lacks IORING_FEAT_MIN_TIMEOUT "
                + "(min_wait_usec in io_uring_getevents_arg, Linux 6.12); kernel is \(version)")
        }
        if o.sendZC, io_uring_opcode_supported(probe, Int32(IORING_OP_SEND_ZC.rawValue)) == 0 {
            throw IOError(errno: EOPNOTSUPP, what: "--send-zc: the kernel has no IORING_OP_SEND_ZC (Linux 6.0)")
        }
        if o.multishot, version < KernelVersion(5, 19) {
            throw IOError(errno: EOPNOTSUPP, what: "--multishot: multishot accept needs Linux 5.19, "
                + "kernel is \(version)")
        }
        if o.multishot, o.bufRing, version < KernelVersion(6, 0) {
            throw IOError(errno: EOPNOTSUPP, what: "--multishot: multishot recv needs Linux 6.0, "
                + "kernel is \(version)")
        }
        if o.fixedFiles, version < KernelVersion(5, 19) {
            throw IOError(errno: EOPNOTSUPP, what: "--fixed-files: accept into the file table "
                + "(IORING_FILE_INDEX_ALLOC) needs Linux 5.19, kernel is \(version)")
        }
    }

    static func registerFileTable(_ ring: UnsafeMutablePointer<io_uring>, _ o: URingOptions) throws(IOError) {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let count = UInt32(min(UInt64(o.fixedFileCount), UInt64(limit.rlim_cur)))
        let rc = io_uring_register_files_sparse(ring, count)
        if rc < 0 {
            throw IOError(errno: -rc, what: "--fixed-files: io_uring_register_files_sparse(\(count)) "
                + "refused (sparse file table, Linux 5.19)")
        }
    }

    /// Registers a provided-buffer ring over the pool and hands every buffer to the kernel.
    static func registerBufferRing(_ ring: UnsafeMutablePointer<io_uring>, pool: BufferPool,
                                   group: UInt16) throws(IOError)
        -> (UnsafeMutablePointer<io_uring_buf_ring>, Int32) {
        var entries = 1
        while entries < pool.count { entries <<= 1 }
        var memory: UnsafeMutableRawPointer? = nil
        let bytes = entries * MemoryLayout<io_uring_buf>.stride
        guard posix_memalign(&memory, 4096, bytes) == 0, let memory else {
            throw IOError(errno: ENOMEM, what: "--buf-ring: allocating the buffer ring")
        }
        memset(memory, 0, bytes)
        let br = memory.assumingMemoryBound(to: io_uring_buf_ring.self)
        var reg = io_uring_buf_reg()
        reg.ring_addr = UInt64(UInt(bitPattern: memory))
        reg.ring_entries = UInt32(entries)
        reg.bgid = group
        let rc = io_uring_register_buf_ring(ring, &reg, 0)
        if rc < 0 {
            free(memory)
            if rc == -ENOMEM {
                throw IOError(errno: ENOMEM, what: memlockMessage("--buf-ring: the provided buffer ring (\(entries) entries)", bytes: bytes))
            }
            throw IOError(errno: -rc, what: "--buf-ring: IORING_REGISTER_PBUF_RING refused "
                + "(provided buffer rings, Linux 5.19)")
        }
        isoring_uring_buf_ring_init(br)
        let mask = io_uring_buf_ring_mask(UInt32(entries))
        for i in 0..<pool.count {
            io_uring_buf_ring_add(br, pool.pointer(UInt16(i)), UInt32(pool.size), UInt16(i), mask, Int32(i))
        }
        io_uring_buf_ring_advance(br, Int32(pool.count))
        return (br, mask)
    }
}

/// Linux kernel release as major.minor, for feature floors.
struct KernelVersion: Comparable, CustomStringConvertible, Sendable {
    var major: Int
    var minor: Int
    init(_ major: Int, _ minor: Int) { self.major = major; self.minor = minor }

    static var current: KernelVersion {
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return KernelVersion(parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
    }

    static var release: String {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: &u.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func < (a: KernelVersion, b: KernelVersion) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }
    var description: String { "\(major).\(minor)" }
}

extension String {
    func trimmed(_ set: String = " \n\t") -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
