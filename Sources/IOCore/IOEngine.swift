// IOEngine: the completion-shaped contract every I/O engine (uring, epoll, blocking) honours.

/// An I/O engine takes operations in and hands completions out, and counts the syscalls it
/// makes to do so. It never knows about HTTP or JavaScript.
///
/// The shape is completion-based on purpose: a readiness-shaped protocol would turn the
/// io_uring engine into epoll with extra steps, and the study would measure nothing. Engines
/// that are readiness-based underneath (epoll) or synchronous (blocking) run the syscall
/// themselves and report its result as a completion.
///
/// Ownership: a `.send` operation's bytes belong to the operation from `enqueue` until its
/// completion has been reaped; the caller must keep them alive and unchanged until then. A
/// `.recv` completion that carries a buffer (`Completion.bufferIndex`) lends that buffer to the
/// caller, who must hand it back with `recycle(bufferIndex:)` once the bytes are consumed.
///
/// Order: an engine starts operations in the order they were enqueued. Engines that run them
/// concurrently (io_uring, epoll) may complete them in any order, except that every completion
/// for a descriptor comes before or with the completion of its `.close`. The event loop relies
/// on one more rule, which an engine that runs operations one after another (blocking) must
/// keep: on one connection the loop queues a turn's `.send` before that connection's next
/// `.recv`, so the engine writes the response before it blocks reading the next request; an
/// engine must never reorder a connection's operations to run a receive before a send queued
/// ahead of it.
///
/// One engine belongs to one thread; only `wakeup()` may be called from another thread.
public protocol IOEngine: AnyObject {
    /// Queues an operation. Returns false when the submission queue is full: the caller then
    /// calls `submitAndReap` (which flushes the queue) and tries again.
    func enqueue(_ operation: Operation, token: UInt64) -> Bool

    /// Submits everything queued and appends completions to `completions`, waiting for at least
    /// one when `wait` is true, but no longer than `timeoutNanos` (0 = no limit); with `wait`
    /// false it never blocks (BlockingEngine documents how it keeps these). Appends at most
    /// `completions.capacity - completions.count` entries if the caller reserved capacity, so a
    /// warm loop allocates nothing. Returns the number appended.
    func submitAndReap(wait: Bool, timeoutNanos: Int64, into completions: inout [Completion]) throws(IOError) -> Int

    /// The bytes a `.recv` completion delivered: valid until `recycle(bufferIndex:)`.
    func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer

    /// Hands a receive buffer back to the engine's pool (for io_uring: the provided-buffer ring).
    func recycle(bufferIndex: UInt16)

    /// Makes a thread blocked in `submitAndReap` return soon. Safe from any thread.
    func wakeup()

    /// The engine's own syscall and batching counters. Read on the engine's thread, or as a
    /// racy but monotonic snapshot from elsewhere (reports only).
    var counters: EngineCounters { get }

    /// Human-readable description of the engine and its knobs, for reports and logs.
    var describe: String { get }
}

/// What an engine is asked to do. Descriptors are plain Int32 file descriptors as far as the
/// caller is concerned; an engine that registers them (io_uring fixed files) maps internally.
public enum Operation {
    /// Accept connections on a listening socket. Engines that support it keep accepting with
    /// one submission (multishot) and set `Completion.hasMore`; the result is the new fd.
    case accept(listener: Int32)
    /// Receive bytes from a connected socket into an engine-owned buffer. The completion's
    /// result is the byte count (0 = peer closed) and `bufferIndex` names the buffer. When
    /// `hasMore` is true the receive stays armed; when false the caller re-arms if it wants more.
    case recv(fd: Int32)
    /// Like `recv`, but a single shot that never stays armed (`hasMore` is always false): the
    /// process model's front receives this way, so that when it hands a connection to another
    /// process no receive of its own is pending that could swallow the next request's bytes.
    /// io_uring: a plain recv (no multishot); epoll: one read, then disarmed; blocking: recv.
    case recvOnce(fd: Int32)
    /// Send bytes, which the caller owns and keeps alive until the completion. Result: bytes
    /// sent (may be short; the caller sends the rest) or -errno.
    case send(fd: Int32, bytes: UnsafeRawBufferPointer)
    /// Cancel whatever is pending on `fd` and close it. Pending operations on it complete
    /// (with -ECANCELED or their result) before or with this operation's completion.
    case close(fd: Int32)
    /// Connect a non-blocking socket to an IPv4 address (sockaddr_in bytes owned by the caller).
    case connect(fd: Int32, address: UnsafeRawBufferPointer)
    /// Complete after `nanoseconds` with result -ETIME (a timer).
    case timeout(nanoseconds: Int64)
}

/// One finished operation.
public struct Completion: Sendable {
    /// The caller's token, passed to `enqueue`.
    public var token: UInt64
    /// Non-negative result (bytes, fd) or -errno.
    public var result: Int32
    /// For receives: the buffer holding `result` bytes, or `Completion.noBuffer`.
    public var bufferIndex: UInt16
    /// True when the operation stays armed and more completions will follow (multishot).
    public var hasMore: Bool

    public static let noBuffer: UInt16 = .max

    @inlinable
    public init(token: UInt64, result: Int32, bufferIndex: UInt16 = Completion.noBuffer, hasMore: Bool = false) {
        self.token = token
        self.result = result
        self.bufferIndex = bufferIndex
        self.hasMore = hasMore
    }
}

/// An engine failure that stops the loop (not an operation's -errno, which is a completion).
public struct IOError: Error, CustomStringConvertible, Sendable {
    public var errno: Int32
    public var what: String
    public init(errno: Int32, what: String) {
        self.errno = errno
        self.what = what
    }
    public var description: String { "\(what): \(String(cString: strerror(errno))) (errno \(errno))" }
}

#if canImport(Glibc)
import Glibc
#endif
