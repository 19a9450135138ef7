// EpollEngine: a tuned edge-triggered readiness loop (nginx style) behind the completion protocol.
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// Waits for readiness, runs the syscall itself and reports its result as a completion.
/// Tuned as nginx is, so the comparison with io_uring is fair: non-blocking sockets,
/// edge-triggered (EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET), each descriptor registered once and
/// never modified per request, accept4 and read looped until EAGAIN (bounded per tick), sends
/// tried at once in the submit phase and gathered per descriptor into one sendmsg (writev with
/// MSG_NOSIGNAL). A receive stays armed (`hasMore`) until EOF, error or close.
public final class EpollEngine: IOEngine {
    public let options: EpollOptions
    public internal(set) var counters = EngineCounters()
    let epfd: Int32
    let wakeFd: Int32
    let pool: BufferPool
    var fds: [FdState] = []
    var ops: [(op: Operation, token: UInt64)] = []
    var dirty: [Int32] = []
    var ready: [Int32] = []
    var nextReady: [Int32] = []
    /// Descriptors parked for want of a buffer, oldest first from `starvedHead`; an entry whose
    /// descriptor is no longer `starved` (closed, or already let go) is skipped.
    var starved: [Int32] = []
    var starvedHead = 0
    var timers: [(deadlineNanos: Int64, token: UInt64)] = []
    let events: UnsafeMutablePointer<epoll_event>
    var iovecs: [iovec]

    static let maxIovecs = 64

    public init(options: EpollOptions = EpollOptions()) throws(IOError) {
        self.options = options
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        if epfd < 0 { throw IOError(errno: errno, what: "epoll_create1") }
        wakeFd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        if wakeFd < 0 {
            let e = errno
            close(epfd)
            throw IOError(errno: e, what: "eventfd for the epoll engine's wakeup")
        }
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | EPOLLET.rawValue
        ev.data.fd = wakeFd
        epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFd, &ev)
        pool = BufferPool(count: options.bufferCount, size: options.bufferSize)
        events = .allocate(capacity: options.maxEvents)
        iovecs = [iovec](repeating: iovec(), count: EpollEngine.maxIovecs)
        fds.reserveCapacity(1024)
        ops.reserveCapacity(256)
        ready.reserveCapacity(256)
        nextReady.reserveCapacity(256)
    }

    deinit {
        close(epfd)
        close(wakeFd)
        events.deallocate()
    }

    /// Records the operation; every syscall happens in `submitAndReap`, so sends queued in
    /// one tick leave together.
    public func enqueue(_ operation: Operation, token: UInt64) -> Bool {
        ops.append((operation, token))
        return true
    }

    public func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pool.pointer(index), count: count)
    }

    /// Returns the buffer. Parked descriptors are let go at the start of the next tick, one per
    /// free buffer (see `unparkStarved`), so a buffer handed back any other way counts too.
    public func recycle(bufferIndex: UInt16) {
        pool.give(bufferIndex)
    }

    public func wakeup() {
        var one: UInt64 = 1
        _ = write(wakeFd, &one, 8)
    }

    public var describe: String { "epoll edge-triggered (\(options))" }

    /// The state for `fd`, growing the table when a new descriptor number appears.
    @inline(__always)
    func ensure(_ fd: Int32) {
        if Int(fd) >= fds.count {
            fds.append(contentsOf: repeatElement(FdState(), count: Int(fd) + 1 - fds.count))
        }
    }

    func markReady(_ fd: Int32) {
        if !fds[Int(fd)].inReady, fds[Int(fd)].hasWork {
            fds[Int(fd)].inReady = true
            ready.append(fd)
        }
    }

    /// Adds `fd` to the interest list once, for both directions, edge-triggered.
    func register(_ fd: Int32) {
        ensure(fd)
        guard !fds[Int(fd)].registered else { return }
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        ev.data.fd = fd
        counters.epollCtlCalls += 1
        if epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0 || errno == EEXIST {
            fds[Int(fd)].registered = true
        }
    }
}
