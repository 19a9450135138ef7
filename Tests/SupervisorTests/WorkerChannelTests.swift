// WorkerChannelTests: descriptors and bytes cross a channel intact; a closed end is noticed.
import Glibc
import Supervisor
import Testing

/// A connected TCP-like pair to pass around (a Unix stream pair is enough to prove the
/// descriptor that arrives is the same socket).
func streamPair() -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
    return (fds[0], fds[1])
}

@Suite struct WorkerChannelTests {
    @Test(arguments: [0, 5, 32 * 1024, 200 * 1024 + 7])
    func connectionArrivesWithEveryByteAndItsOrigin(_ size: Int) throws {
        let (front, workerFd) = try WorkerChannel.pair()
        let worker = WorkerChannel(fd: workerFd)
        defer { front.close(); worker.close() }
        let (a, b) = streamPair()
        defer { close(b) }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        // Large payloads need the reader running while the writer sends.
        var got: ChannelMessage = .closed
        var reader = pthread_t()
        final class Box: @unchecked Sendable { var body: () -> Void = {} }
        let box = Box()
        box.body = { got = worker.receive() }
        let ctx = Unmanaged.passRetained(box).toOpaque()
        pthread_create(&reader, nil, { p in Unmanaged<Box>.fromOpaque(p!).takeRetainedValue().body(); return nil }, ctx)
        let rc = bytes.withUnsafeBytes { front.send(connection: a, bytes: $0, origin: 3) }
        pthread_join(reader, nil)
        #expect(rc == 0)
        close(a)  // the sender's copy; the received one keeps the socket open
        guard case .connection(let fd, let received, let origin) = got else {
            Issue.record("expected a connection, got \(got)")
            return
        }
        defer { close(fd) }
        #expect(received == bytes)
        #expect(origin == 3)
        var x: UInt8 = 42
        #expect(write(fd, &x, 1) == 1)
        var y: UInt8 = 0
        #expect(read(b, &y, 1) == 1)
        #expect(y == 42)
    }

    @Test func readyMessageAndClosedEnd() throws {
        let (front, workerFd) = try WorkerChannel.pair()
        let worker = WorkerChannel(fd: workerFd)
        #expect(worker.sendReady() == 0)
        #expect(front.waitReadable(timeoutMillis: 1000))
        guard case .ready = front.receive() else { Issue.record("expected ready"); return }
        worker.close()
        guard case .closed = front.receive() else { Issue.record("expected closed"); return }
        let (a, b) = streamPair()
        defer { close(a); close(b) }
        #expect([EPIPE, ECONNRESET, ECONNREFUSED].contains(front.send(connection: a, bytes: UnsafeRawBufferPointer(start: nil, count: 0), origin: 0)))
        front.close()
        #expect(front.send(connection: a, bytes: UnsafeRawBufferPointer(start: nil, count: 0), origin: 0) == EPIPE)
    }
}
