// WorkerChannelTests: descriptors and bytes cross a channel intact; a closed end is noticed.
import Glibc
import HTTP1
import Isolates
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

@Suite struct TenantNamesTests {
    func resolve(_ names: TenantNames, _ raw: String) -> String? {
        var parser = HTTPRequestParser()
        var bytes = Array(raw.utf8)
        return bytes.withUnsafeMutableBytes { buf -> String? in
            guard case .complete = parser.parse(buf) else { return "unparsed" }
            return names.resolve(parser.request, in: UnsafeRawBufferPointer(buf))
        }
    }

    @Test func builtInNamesAndTheDefaultTenantResolveAsTheRuntimeDoes() {
        let names = TenantNames(source: .builtIn, routing: .hostOrPath)
        #expect(resolve(names, "GET /echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") == "echo")
        #expect(resolve(names, "GET / HTTP/1.1\r\nHost: json.localhost:8080\r\n\r\n") == "json")
        #expect(resolve(names, "GET /nosuch/ HTTP/1.1\r\nHost: localhost\r\n\r\n") == DemoTenants.defaultTenant)
        #expect(resolve(names, "GET / HTTP/1.1\r\nHost: nobody.localhost\r\n\r\n") == nil)
        let pathOnly = TenantNames(source: .builtIn, routing: .path)
        #expect(resolve(pathOnly, "GET / HTTP/1.1\r\nHost: echo.localhost\r\n\r\n") == nil)
    }

    @Test func folderTenantsAreFoundByFile() throws {
        let dir = "/tmp/isoring-names-\(getpid())"
        mkdir(dir, 0o755)
        defer { unlink("\(dir)/alpha.js"); rmdir(dir) }
        let names = TenantNames(source: .directory(dir), routing: .hostOrPath)
        #expect(resolve(names, "GET /alpha/ HTTP/1.1\r\nHost: x\r\n\r\n") == nil)
        let f = fopen("\(dir)/alpha.js", "w")
        fclose(f)
        #expect(resolve(names, "GET /alpha/ HTTP/1.1\r\nHost: x\r\n\r\n") == "alpha")
    }
}
