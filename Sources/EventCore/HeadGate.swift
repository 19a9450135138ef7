// HeadGate: in the thread-per-connection model, holds new connections until their first
// request head is in, so clients that connect and stall cost a poll entry, not a thread.
import HTTP1
import Platform
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One thread polls every connection that has not yet sent a whole request head and hands
/// it, with the bytes read so far, to the connection-thread pool once the head's empty line
/// arrives (or its bytes reach the head limit, for the loop to answer 431). A head that takes
/// longer than the header timeout is answered 408 and closed here; a connection that sent no
/// byte is closed without a word at the idle timeout, as a connection loop closes it. Without the gate, a few
/// hundred slowloris connections would take every connection thread and every other client
/// would get 503 for as long as they stayed (Apache's prefork has this weakness; its event
/// MPM and nginx keep waiting connections off the worker threads in the same way).
final class HeadGate: @unchecked Sendable {
    struct Waiting {
        var bytes: [UInt8]
        /// Since admission while no byte came (the idle timeout's), then since the first byte
        /// (the header timeout's, as in a connection loop).
        var sinceNanos: Int64
    }

    let maxHeadBytes: Int
    let headerTimeoutSeconds: Int
    let idleTimeoutSeconds: Int
    let hand: (Int32, [UInt8]) -> Void
    let incoming = Mutex<[Int32]>([])
    var waiting: [Int32: Waiting] = [:]
    var wakeRead: Int32 = -1
    var wakeWrite: Int32 = -1
    let stopping = Atomic<Bool>(false)
    /// Heads closed with 408 here, and silent connections closed (read by the acceptor's
    /// stats, racy snapshots).
    let timeouts = Atomic<UInt64>(0)
    let idleClosed = Atomic<UInt64>(0)
    /// Called for each connection the gate closes itself (end of input, timeout, stop).
    var dropped: () -> Void = {}

    init(maxHeadBytes: Int, headerTimeoutSeconds: Int, idleTimeoutSeconds: Int,
         hand: @escaping (Int32, [UInt8]) -> Void) {
        self.maxHeadBytes = maxHeadBytes
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.hand = hand
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeRead = fds[0]
            wakeWrite = fds[1]
        }
    }

    /// Takes a newly accepted connection (any thread).
    func admit(_ fd: Int32) {
        incoming.withLock { $0.append(fd) }
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        var one: UInt8 = 1
        _ = write(wakeWrite, &one, 1)
    }

    /// The gate's thread: poll with a one-second tick for the deadlines.
    func run() {
        var fds: [pollfd] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !stopping.load(ordering: .acquiring) {
            for fd in incoming.withLock({ box -> [Int32] in defer { box.removeAll() }; return box }) {
                waiting[fd] = Waiting(bytes: [], sinceNanos: monotonicNanos())
            }
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for fd in waiting.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if ready > 0 && fds[0].revents != 0 {
                while chunk.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
            }
            for p in fds.dropFirst() where p.revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                if n <= 0 {
                    if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                    waiting[p.fd] = nil
                    close(p.fd)
                    dropped()
                    continue
                }
                let before = waiting[p.fd]!.bytes.count
                if before == 0 { waiting[p.fd]!.sinceNanos = monotonicNanos() }
                waiting[p.fd]!.bytes += chunk[0..<n]
                let bytes = waiting[p.fd]!.bytes
                if bytes.count >= maxHeadBytes || Self.holdsHeadEnd(bytes, from: before) {
                    waiting[p.fd] = nil
                    hand(p.fd, bytes)
                }
            }
            expire()
        }
        for fd in waiting.keys { close(fd) }
        waiting.removeAll()
        for fd in incoming.withLock({ $0 }) { close(fd) }
        close(wakeRead)
        close(wakeWrite)
    }

    /// Answers 408 to every head older than the header timeout and closes it; closes every
    /// connection silent for the idle timeout.
    func expire() {
        let now = monotonicNanos()
        for (fd, w) in waiting {
            if w.bytes.isEmpty {
                guard idleTimeoutSeconds > 0, now - w.sinceNanos >= Int64(idleTimeoutSeconds) * 1_000_000_000 else { continue }
                waiting[fd] = nil
                close(fd)
                dropped()
                idleClosed.add(1, ordering: .relaxed)
                continue
            }
            guard headerTimeoutSeconds > 0, now - w.sinceNanos >= Int64(headerTimeoutSeconds) * 1_000_000_000 else { continue }
            waiting[fd] = nil
            let body = "request not received in time\n"
            let text = "HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
            _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            close(fd)
            dropped()
            timeouts.add(1, ordering: .relaxed)
        }
    }

    /// True when `bytes` hold the empty line that ends a head: LF CR LF or LF LF (the parser
    /// accepts a lone LF as a line end in the head), looking only at what arrived since
    /// `from` (each byte is scanned about once). Blank lines before a request (RFC 9112 2.2)
    /// may hand a connection over early, which is harmless: the thread's own header timeout
    /// still bounds the rest of the head.
    static func holdsHeadEnd(_ bytes: [UInt8], from: Int) -> Bool {
        var i = max(1, from - 2)
        while i < bytes.count {
            if bytes[i] == 0x0A {
                let prev = bytes[i - 1]
                if prev == 0x0A { return true }
                if prev == 0x0D && i >= 2 && bytes[i - 2] == 0x0A { return true }
            }
            i += 1
        }
        return false
    }
}
