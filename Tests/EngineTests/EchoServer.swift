// EchoServer: a tiny multi-connection echo loop over the protocol, sending straight from the
// receive buffer and recycling it only when the send completes.
import IOCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct EchoServer {
    let driver: EngineDriver
    let listener: Int32
    let connections: Int

    // Tokens: 1 = accept, fd << 32 | 1 = recv on fd, fd << 32 | 2 = close, sendBase + n = a send.
    let sendBase: UInt64 = 1 << 62
    func run() throws {
        driver.enqueue(.accept(listener: listener), 1)
        var accepted = 0
        var finished = 0
        var inflight: [UInt64: (fd: Int32, buffer: UInt16)] = [:]
        var sendsOn: [Int32: Int] = [:]
        var eofOn: Set<Int32> = []
        var starved: [Int32] = []
        var nextSend: UInt64 = sendBase
        var acceptArmed = true
        func closeIfDone(_ fd: Int32) {
            if eofOn.contains(fd), sendsOn[fd, default: 0] == 0 {
                eofOn.remove(fd)
                driver.enqueue(.close(fd: fd), UInt64(fd) << 32 | 2)
            }
        }
        while finished < connections {
            // A send completion wakes one parked descriptor, but the one woken may read EOF and
            // leave its buffer free, and an ENOBUFS may be reported after the sends that refilled
            // the pool were handled. With no send left to complete, nothing else would wake the
            // rest: re-arm them all before waiting.
            if inflight.isEmpty, !starved.isEmpty {
                for s in starved { driver.enqueue(.recv(fd: s), UInt64(s) << 32 | 1) }
                starved.removeAll()
            }
            let c = try #require(driver.next(), "stalled: \(finished)/\(connections) done")
            if c.token == 1 {
                if c.result >= 0 {
                    accepted += 1
                    driver.enqueue(.recv(fd: c.result), UInt64(c.result) << 32 | 1)
                }
                acceptArmed = c.hasMore
                if !acceptArmed, accepted < connections {
                    driver.enqueue(.accept(listener: listener), 1)
                    acceptArmed = true
                }
                continue
            }
            let fd = Int32(truncatingIfNeeded: c.token >> 32)
            switch c.token >= sendBase ? 0 : c.token & 0xffff_ffff {
            case 1:
                if c.result > 0 {
                    let bytes = UnsafeRawBufferPointer(driver.engine.buffer(c.bufferIndex, count: Int(c.result)))
                    inflight[nextSend] = (fd, c.bufferIndex)
                    sendsOn[fd, default: 0] += 1
                    driver.enqueue(.send(fd: fd, bytes: bytes), nextSend)
                    nextSend += 1
                    if !c.hasMore { driver.enqueue(.recv(fd: fd), c.token) }
                } else if c.result == -ENOBUFS {
                    starved.append(fd)  // re-armed once a buffer comes back
                } else {
                    #expect(c.result == 0)
                    eofOn.insert(fd)
                    closeIfDone(fd)
                }
            case 2:
                #expect(c.result == 0)
                finished += 1
            default:
                let entry = inflight.removeValue(forKey: c.token)
                let (sfd, buffer) = try #require(entry)
                #expect(c.result > 0)
                driver.engine.recycle(bufferIndex: buffer)
                sendsOn[sfd]! -= 1
                if let s = starved.popLast() { driver.enqueue(.recv(fd: s), UInt64(s) << 32 | 1) }
                closeIfDone(sfd)
            }
        }
    }
}
