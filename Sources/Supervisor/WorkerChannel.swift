// WorkerChannel: one Unix SEQPACKET socket between the front and a worker: hand-overs (a
// descriptor plus the bytes already read from it, via SCM_RIGHTS) and the ready message.
import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A message on a channel.
public enum ChannelMessage {
    /// The worker's runtime is set up; it takes connections from now on.
    case ready
    /// A connection: its descriptor, the bytes already read from it, and its origin tag (the
    /// front loop that accepted it, echoed back when the worker returns the connection).
    case connection(fd: Int32, bytes: [UInt8], origin: Int32)
    /// The worker took the oldest connection sent to it and not yet acknowledged: until this
    /// arrives the front keeps its own copy, so a worker that dies before taking it loses nothing.
    case ack
    /// The other end closed (the process exited or was killed).
    case closed
}

/// One end of a front-worker channel. SOCK_SEQPACKET keeps message boundaries, so the
/// descriptor always travels with the first chunk of its bytes. Bytes larger than one chunk
/// follow in continuation messages; the sending side holds a lock for the whole sequence, so
/// sequences from several threads never interleave.
public final class WorkerChannel: @unchecked Sendable {
    public let fd: Int32
    /// Held for a whole send sequence; guards `closed` too, so a close never races a send
    /// onto a reused descriptor number.
    let sendLock = Mutex<Bool>(false)
    /// Bytes per message: well under the socket's send buffer (net.core.wmem_default).
    static let chunkBytes = 32 * 1024
    static let headerBytes = 12
    enum Kind: UInt32 { case ready = 0x5244_5931, connection = 0x434F_4E31, more = 0x4D4F_5231, ack = 0x41434B31 }

    public init(fd: Int32) { self.fd = fd }

    /// A connected pair (front end, worker end), both close-on-exec (the spawner dup2s the
    /// worker end onto the worker's descriptor 3, which clears the flag there only).
    public static func pair() throws -> (front: WorkerChannel, worker: Int32) {
        var fds: [Int32] = [-1, -1]
        let rc = socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        guard rc == 0 else { throw SupervisorError("socketpair: \(String(cString: strerror(errno)))") }
        return (WorkerChannel(fd: fds[0]), fds[1])
    }

    /// Closes this end once (later sends return EPIPE).
    public func close() {
        sendLock.withLock { closed in
            if !closed {
                closed = true
                _ = Glibc.close(fd)
            }
        }
    }

    /// Sends the ready message. Returns 0 or an errno.
    public func sendReady() -> Int32 { sendHeader(.ready) }

    /// Acknowledges a connection just received (see `ChannelMessage.ack`). Returns 0 or an errno.
    public func sendAck() -> Int32 { sendHeader(.ack) }

    private func sendHeader(_ kind: Kind) -> Int32 {
        var header = Self.header(kind, 0, 0)
        return sendLock.withLock { closed in
            if closed { return EPIPE }
            return header.withUnsafeMutableBytes { raw in
                Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) < 0 ? errno : 0
            }
        }
    }

    /// Sends a connection with its bytes. Returns 0 or an errno (EPIPE / ECONNREFUSED /
    /// ECONNRESET: the other process is gone). The caller keeps its own copy of `conn` and
    /// closes it afterwards.
    public func send(connection conn: Int32, bytes: UnsafeRawBufferPointer, origin: Int32) -> Int32 {
        sendLock.withLock { closed in
            if closed { return EPIPE }
            var message = [UInt8](repeating: 0, count: Self.headerBytes + min(bytes.count, Self.chunkBytes))
            var offset = 0
            var first = true
            repeat {
                let n = min(bytes.count - offset, Self.chunkBytes)
                let header = Self.header(first ? .connection : .more, UInt32(bitPattern: origin), UInt32(bytes.count))
                message.removeAll(keepingCapacity: true)
                message.append(contentsOf: header)
                if n > 0 { message.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])) }
                let sent = message.withUnsafeBytes { raw -> Int in
                    while true {
                        let r = first ? isoring_send_fd(fd, conn, raw.baseAddress, raw.count)
                                      : Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                        if r < 0 && errno == EINTR { continue }
                        return r
                    }
                }
                if sent < 0 { return errno }
                offset += n
                first = false
            } while offset < bytes.count
            return 0
        }
    }

    /// Receives one message (blocking; only one thread receives on a channel end). A
    /// descriptor that arrives is close-on-exec in this process.
    public func receive() -> ChannelMessage {
        var buffer = [UInt8](repeating: 0, count: Self.headerBytes + Self.chunkBytes)
        var received: Int32 = -1
        guard let first = receiveOne(&buffer, fd: &received), first.count >= Self.headerBytes else {
            if received >= 0 { Glibc.close(received) }
            return .closed
        }
        let (kind, origin, total) = Self.parseHeader(first)
        switch Kind(rawValue: kind) {
        case .ready:
            return .ready
        case .ack:
            return .ack
        case .connection:
            var bytes = Array(first[Self.headerBytes...])
            bytes.reserveCapacity(Int(total))
            while bytes.count < Int(total) {
                var none: Int32 = -1
                guard let more = receiveOne(&buffer, fd: &none), more.count >= Self.headerBytes else {
                    if received >= 0 { Glibc.close(received) }
                    return .closed
                }
                bytes.append(contentsOf: more[Self.headerBytes...])
            }
            guard received >= 0 else { return .closed }  // a connection message always carries one
            return .connection(fd: received, bytes: bytes, origin: Int32(bitPattern: origin))
        default:
            if received >= 0 { Glibc.close(received) }
            return .closed
        }
    }

    /// Waits up to `timeoutMillis` for the channel to be readable; false on timeout.
    public func waitReadable(timeoutMillis: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let n = poll(&p, 1, timeoutMillis)
            if n < 0 && errno == EINTR { continue }
            return n > 0
        }
    }

    private func receiveOne(_ buffer: inout [UInt8], fd received: inout Int32) -> ArraySlice<UInt8>? {
        while true {
            var got: Int32 = -1
            let n = buffer.withUnsafeMutableBytes { isoring_recv_fd(fd, &got, $0.baseAddress, $0.count) }
            if got >= 0 {
                if received >= 0 { Glibc.close(got) } else { received = got }
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            return buffer[0..<n]
        }
    }

    static func header(_ kind: Kind, _ origin: UInt32, _ total: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerBytes)
        for v in [kind.rawValue, origin, total] {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    static func parseHeader(_ bytes: ArraySlice<UInt8>) -> (UInt32, UInt32, UInt32) {
        func word(_ at: Int) -> UInt32 {
            let b = bytes.startIndex + at
            return UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24
        }
        return (word(0), word(4), word(8))
    }
}

public struct SupervisorError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
