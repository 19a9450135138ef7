// ScriptedEngine: an IOEngine that plays the kernel for loop tests: no sockets, no threads,
// no waiting; the test decides what the peer sends and how each operation completes.
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// Plays the kernel behind the `IOEngine` contract, the way SwiftNIO's EmbeddedChannel plays a
/// socket. Connections are fake descriptors (`connect()`); what a peer sends waits in the
/// engine until the loop has a receive armed; every byte the loop sends is kept per descriptor.
///
/// Each `submitAndReap` first takes the queued operations in order (sends complete at once,
/// short when `maxSendBytes` says so; a close cancels the descriptor's receive), then delivers
/// what the peers did to armed receives and accepts. It never blocks: `wait` is recorded in
/// `waits` so a test can check when the loop would have slept.
public final class ScriptedEngine: IOEngine {
    public private(set) var counters = EngineCounters()
    public let pool: BufferPool

    /// Most bytes one send moves (nil: all); the loop must send the rest itself.
    public var maxSendBytes: Int?
    /// Most bytes one receive completion carries (1 = split at every byte).
    public var maxRecvBytes = Int.max
    /// Receives stay armed and deliver several completions (io_uring multishot), or each
    /// delivers one and must be re-armed (epoll, blocking, recvOnce).
    public var multishot = true
    /// The next this many receive completions fail with -ENOBUFS (no provided buffer).
    public var failReceivesWithENOBUFS = 0
    /// Operations the submission queue holds before `enqueue` returns false (nil: unbounded).
    public var queueCapacity: Int?

    /// Every operation enqueued, in order (a log for assertions), with its token.
    public private(set) var log: [String] = []
    public private(set) var tokens: [UInt64] = []
    /// The `wait` argument of each `submitAndReap`.
    public private(set) var waits: [Bool] = []
    /// Times `enqueue` refused an operation because the queue was full.
    public private(set) var refusedEnqueues = 0

    struct Peer {
        var toServer: [UInt8] = []
        var fromServer: [UInt8] = []
        var finishedSending = false
        var reset = false
        var closedByServer = false
        var recvToken: UInt64?
        var recvMultishot = false
    }
    var peers: [Int32: Peer] = [:]
    var queued: [(Operation, UInt64)] = []
    var ready: [Completion] = []
    var acceptToken: UInt64?
    var waitingToConnect: [Int32] = []
    var nextFd: Int32 = 100

    public init(bufferCount: Int = 64, bufferSize: Int = 4096) {
        pool = BufferPool(count: bufferCount, size: bufferSize)
    }

    // MARK: - The peer's side (the test)

    /// A client connects; the loop sees it at its next accept completion. Returns its descriptor.
    @discardableResult
    public func connect() -> Int32 {
        let fd = openDescriptor()
        waitingToConnect.append(fd)
        return fd
    }

    /// A descriptor the loop may adopt (as if accepted elsewhere).
    public func openDescriptor() -> Int32 {
        let fd = nextFd
        nextFd += 1
        peers[fd] = Peer()
        return fd
    }

    /// The peer sends bytes.
    public func send(_ fd: Int32, _ text: String) { peers[fd]!.toServer += Array(text.utf8) }

    /// The peer shuts its sending side down (end of input after what it sent).
    public func finishSending(_ fd: Int32) { peers[fd]!.finishedSending = true }

    /// The peer resets the connection: the armed receive fails with -ECONNRESET.
    public func reset(_ fd: Int32) { peers[fd]!.reset = true }

    /// Everything the server sent to `fd` so far, as text.
    public func received(_ fd: Int32) -> String { String(decoding: peers[fd]!.fromServer, as: UTF8.self) }

    /// Whether the server closed `fd`.
    public func isClosed(_ fd: Int32) -> Bool { peers[fd]!.closedByServer }

    /// Whether a receive is armed on `fd`.
    public func isReceiving(_ fd: Int32) -> Bool { peers[fd]?.recvToken != nil }

    /// The token of the last operation logged as `name` ("recv 100", "send 100 85"...).
    public func token(ofLast name: String) -> UInt64? {
        log.lastIndex { $0.hasPrefix(name) }.map { tokens[$0] }
    }

    /// Delivers a completion the script did not produce (an engine bug, for the loop's checks).
    public func inject(_ completion: Completion) { ready.append(completion) }

    /// Receive buffers lent to the loop and not recycled yet.
    public var buffersLent: Int { pool.count - pool.available }

    /// Operations queued and not yet submitted.
    public var queuedCount: Int { queued.count }

    // MARK: - IOEngine

    public func enqueue(_ operation: Operation, token: UInt64) -> Bool {
        if let capacity = queueCapacity, queued.count >= capacity {
            refusedEnqueues += 1
            counters.submissionQueueFull += 1
            return false
        }
        queued.append((operation, token))
        log.append(Self.name(operation))
        tokens.append(token)
        return true
    }

    public func submitAndReap(wait: Bool, timeoutNanos: Int64, into completions: inout [Completion]) throws(IOError) -> Int {
        waits.append(wait)
        counters.enterCalls += 1
        counters.sqesSubmitted += UInt64(queued.count)
        let taken = queued
        queued.removeAll(keepingCapacity: true)
        for (op, token) in taken { start(op, token) }
        deliverPeers()
        let room = completions.capacity - completions.count
        let n = min(ready.count, room > 0 ? room : Int.max)
        completions.append(contentsOf: ready[0..<n])
        ready.removeFirst(n)
        counters.completions += UInt64(n)
        return n
    }

    public func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pool.pointer(index), count: count)
    }

    public func recycle(bufferIndex: UInt16) { pool.give(bufferIndex) }

    public func wakeup() {}

    public var describe: String { "scripted" }

    // MARK: - Playing the kernel

    func start(_ op: Operation, _ token: UInt64) {
        switch op {
        case .accept:
            acceptToken = token
        case .recv(let fd), .recvOnce(let fd):
            precondition(peers[fd]?.recvToken == nil, "two receives armed on fd \(fd)")
            peers[fd]!.recvToken = token
            if case .recv = op { peers[fd]!.recvMultishot = multishot } else { peers[fd]!.recvMultishot = false }
        case .send(let fd, let bytes):
            let n = min(bytes.count, maxSendBytes ?? bytes.count)
            if peers[fd]!.reset {
                ready.append(Completion(token: token, result: -EPIPE))
            } else {
                peers[fd]!.fromServer += UnsafeRawBufferPointer(rebasing: bytes[0..<n])
                ready.append(Completion(token: token, result: Int32(n)))
            }
        case .close(let fd):
            if peers[fd] != nil {
                if let recv = peers[fd]!.recvToken {
                    ready.append(Completion(token: recv, result: -ECANCELED))
                    peers[fd]!.recvToken = nil
                }
                peers[fd]!.closedByServer = true
            }
            ready.append(Completion(token: token, result: 0))
        case .connect, .timeout:
            ready.append(Completion(token: token, result: -EOPNOTSUPP))
        }
    }

    func deliverPeers() {
        if let token = acceptToken {
            for fd in waitingToConnect {
                ready.append(Completion(token: token, result: fd, hasMore: true))
            }
            waitingToConnect.removeAll()
        }
        for fd in peers.keys.sorted() {
            guard let token = peers[fd]!.recvToken else { continue }
            while peers[fd]!.recvToken != nil {
                var p = peers[fd]!
                if p.reset {
                    ready.append(Completion(token: token, result: -ECONNRESET))
                    p.recvToken = nil
                } else if !p.toServer.isEmpty && failReceivesWithENOBUFS > 0 {
                    failReceivesWithENOBUFS -= 1
                    counters.bufferExhaustions += 1
                    ready.append(Completion(token: token, result: -ENOBUFS))
                    p.recvToken = nil
                } else if !p.toServer.isEmpty {
                    guard let buffer = pool.take() else {
                        ready.append(Completion(token: token, result: -ENOBUFS))
                        p.recvToken = nil
                        peers[fd] = p
                        break
                    }
                    let n = min(p.toServer.count, pool.size, maxRecvBytes)
                    p.toServer.withUnsafeBytes { pool.pointer(buffer).copyMemory(from: $0.baseAddress!, byteCount: n) }
                    p.toServer.removeFirst(n)
                    ready.append(Completion(token: token, result: Int32(n), bufferIndex: buffer, hasMore: p.recvMultishot))
                    if !p.recvMultishot { p.recvToken = nil }
                } else if p.finishedSending {
                    ready.append(Completion(token: token, result: 0))
                    p.recvToken = nil
                } else {
                    peers[fd] = p
                    break
                }
                peers[fd] = p
            }
        }
    }

    static func name(_ op: Operation) -> String {
        switch op {
        case .accept: return "accept"
        case .recv(let fd): return "recv \(fd)"
        case .recvOnce(let fd): return "recvOnce \(fd)"
        case .send(let fd, let bytes): return "send \(fd) \(bytes.count)"
        case .close(let fd): return "close \(fd)"
        case .connect(let fd, _): return "connect \(fd)"
        case .timeout: return "timeout"
        }
    }
}
