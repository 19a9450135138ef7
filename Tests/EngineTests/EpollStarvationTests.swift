// EpollStarvationTests: descriptors parked for want of a buffer all read again once one is free.
import IOCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("epoll buffer starvation")
struct EpollStarvationTests {
    /// The bug this pins: a recycled buffer woke only the last descriptor parked; when that one
    /// read its EOF the buffer went straight back to the pool and the other parked descriptor
    /// was never woken again.
    @Test("a parked peer whose turn comes up as EOF does not strand the peer parked before it")
    func eofOnWakeDoesNotStrandOthers() throws {
        let driver = EngineDriver(try EngineKind.epoll.make(EngineSizes(bufferCount: 1, bufferSize: 256)))
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        defer { close(listener) }
        let port = Socket.localPort(listener)
        let holder = try LoopbackClient(port: port)
        let talker = try LoopbackClient(port: port)
        let quitter = try LoopbackClient(port: port)
        // The backlog hands connections out in connect order.
        var fds: [Int32] = []
        driver.enqueue(.accept(listener: listener), 1)
        while fds.count < 3 {
            let c = try #require(driver.wait(for: 1))
            try #require(c.result >= 0)
            fds.append(c.result)
            if !c.hasMore { driver.enqueue(.accept(listener: listener), 1) }
        }
        let (holderFd, talkerFd, quitterFd) = (fds[0], fds[1], fds[2])

        // The only buffer is lent out and kept.
        holder.send("h")
        driver.enqueue(.recv(fd: holderFd), 10)
        let held = try #require(driver.wait(for: 10))
        #expect(held.result == 1)

        // The talker parks first, the quitter (EOF only) parks last.
        talker.send("t")
        driver.enqueue(.recv(fd: talkerFd), 20)
        #expect(driver.next(maxTicks: 2) == nil)
        quitter.shutdownWrite()
        driver.enqueue(.recv(fd: quitterFd), 30)
        #expect(driver.next(maxTicks: 2) == nil)

        driver.engine.recycle(bufferIndex: held.bufferIndex)
        var talked: [UInt8]?
        var quit: Int32?
        while talked == nil || quit == nil {
            let c = try #require(driver.next(maxTicks: 20), "talker read \(talked != nil), quitter \(quit != nil)")
            if c.token == 20, c.result > 0 {
                talked = driver.bytes(c)
                driver.engine.recycle(bufferIndex: c.bufferIndex)
            } else if c.token == 30 {
                quit = c.result
            }
        }
        #expect(talked == Array("t".utf8))
        #expect(quit == 0)

        for (k, fd) in fds.enumerated() {
            driver.enqueue(.close(fd: fd), 100 + UInt64(k))
            #expect(try #require(driver.wait(for: 100 + UInt64(k))).result == 0)
        }
        _ = (holder, talker, quitter)
    }
}
