// EchoTests: every engine accepts, receives, sends and closes over loopback in order.
import IOCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("Engine conformance over loopback")
struct EchoTests {
    @Test("accept, recv, send, then the peer's close reads as 0 bytes", arguments: EngineKind.allCases)
    func handshakeEchoAndPeerClose(kind: EngineKind) throws {
        let driver = EngineDriver(try kind.make())
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        defer { close(listener) }
        let port = Socket.localPort(listener)
        let reply = Box<[UInt8]>([])
        let tail = Box<[UInt8]>([1])
        let client = TestThread {
            guard let c = try? LoopbackClient(port: port) else { return }
            c.send("hello")
            reply.value = c.receive(exactly: 5)
            c.shutdownWrite()
            tail.value = c.receiveUntilClosed()
        }
        defer { client.join() }

        driver.enqueue(.accept(listener: listener), 1)
        let accepted = try #require(driver.wait(for: 1))
        #expect(accepted.result >= 0)
        let fd = accepted.result
        driver.enqueue(.recv(fd: fd), 2)
        let got = try #require(driver.wait(for: 2))
        #expect(got.result == 5)
        let echo = driver.bytes(got)
        driver.engine.recycle(bufferIndex: got.bufferIndex)
        #expect(echo == Array("hello".utf8))
        try echo.withUnsafeBytes { raw in
            driver.enqueue(.send(fd: fd, bytes: raw), 3)
            let sent = try #require(driver.wait(for: 3))
            #expect(sent.result == 5)
        }
        if !got.hasMore { driver.enqueue(.recv(fd: fd), 2) }
        let eof = try #require(driver.wait(for: 2))
        #expect(eof.result == 0)
        #expect(!eof.hasMore)
        #expect(eof.bufferIndex == Completion.noBuffer)
        driver.enqueue(.close(fd: fd), 4)
        #expect(try #require(driver.wait(for: 4)).result == 0)
        client.join()
        #expect(reply.value == Array("hello".utf8))
        #expect(tail.value.isEmpty)
    }

    @Test("many messages echo back intact and in order", arguments: EngineKind.allCases)
    func manySendsAndRecvs(kind: EngineKind) throws {
        let driver = EngineDriver(try kind.make(EngineSizes(bufferCount: 16, bufferSize: 512)))
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        defer { close(listener) }
        let port = Socket.localPort(listener)
        let message = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let received = Box<[UInt8]>([])
        let client = TestThread {
            guard let c = try? LoopbackClient(port: port) else { return }
            for chunk in stride(from: 0, to: message.count, by: 100) {
                c.send(Array(message[chunk..<min(chunk + 100, message.count)]))
            }
            c.shutdownWrite()
            received.value = c.receiveUntilClosed()
        }
        defer { client.join() }

        driver.enqueue(.accept(listener: listener), 1)
        let fd = try #require(driver.wait(for: 1)).result
        try echoUntilEOF(driver, fd: fd)
        client.join()
        let same = received.value == message
        #expect(same, "peer got \(received.value.count) of \(message.count) bytes back")
    }

    @Test("more connections than buffers: every byte still comes back", arguments: EngineKind.allCases)
    func bufferRecyclingUnderPressure(kind: EngineKind) throws {
        // Buffers are held until the echo send completes, so 4 buffers for 12 peers run out.
        let driver = EngineDriver(try kind.make(EngineSizes(bufferCount: 4, bufferSize: 256)))
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        defer { close(listener) }
        let port = Socket.localPort(listener)
        let peers = 12
        let payload = (0..<3000).map { UInt8(truncatingIfNeeded: $0) }
        let results = Box<[[UInt8]]>(Array(repeating: [], count: peers))
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        defer { pthread_mutex_destroy(lock); lock.deallocate() }
        let clients = (0..<peers).map { i in
            TestThread {
                guard let c = try? LoopbackClient(port: port) else { return }
                c.send(payload)
                c.shutdownWrite()
                let got = c.receiveUntilClosed()
                pthread_mutex_lock(lock)
                results.value[i] = got
                pthread_mutex_unlock(lock)
            }
        }
        defer { clients.forEach { $0.join() } }
        try EchoServer(driver: driver, listener: listener, connections: peers).run()
        clients.forEach { $0.join() }
        for (i, got) in results.value.enumerated() {
            let same = got == payload
            #expect(same, "peer \(i) got \(got.count) of \(payload.count) bytes back")
        }
    }
}

/// Echoes one connection until the peer's EOF, then closes it.
func echoUntilEOF(_ driver: EngineDriver, fd: Int32) throws {
    driver.enqueue(.recv(fd: fd), 2)
    var pending: [UInt64: [UInt8]] = [:]
    var nextToken: UInt64 = 100
    var eof = false
    while !eof || !pending.isEmpty {
        let c = try #require(driver.next())
        if c.token == 2 {
            if c.result > 0 {
                let bytes = driver.bytes(c)
                driver.engine.recycle(bufferIndex: c.bufferIndex)
                pending[nextToken] = bytes
                pending[nextToken]!.withUnsafeBytes { driver.enqueue(.send(fd: fd, bytes: $0), nextToken) }
                nextToken += 1
                if !c.hasMore { driver.enqueue(.recv(fd: fd), 2) }
            } else if c.result == -ENOBUFS {
                driver.enqueue(.recv(fd: fd), 2)  // a buffer was recycled above; re-arm
            } else {
                #expect(c.result == 0)
                eof = true
            }
        } else {
            let removed = pending.removeValue(forKey: c.token)
            let sent = try #require(removed)
            #expect(Int(c.result) == sent.count)
        }
    }
    driver.enqueue(.close(fd: fd), 3)
    #expect(try #require(driver.wait(for: 3)).result == 0)
}
