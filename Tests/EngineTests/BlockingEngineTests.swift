// BlockingEngineTests: how the blocking engine keeps `wait` and `timeoutNanos` (a receive
// that would block past them stays queued; a send completes with what it moved, or
// -ETIMEDOUT) without a second syscall per read.
import EngineBlocking
import Glibc
import IOCore
import Testing

@Suite struct BlockingEngineTests {
    /// A connected stream pair: (the engine's end, the peer's end).
    func pair() -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func aReceiveWithoutWaitStaysQueuedUntilBytesArrive() throws {
        let engine = BlockingEngine(bufferCount: 4, bufferSize: 1024)
        let (mine, peer) = pair()
        defer { close(mine); close(peer) }
        var out: [Completion] = []
        out.reserveCapacity(8)
        #expect(engine.enqueue(.recv(fd: mine), token: 7))
        #expect(try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &out) == 0)
        #expect(write(peer, "hi", 2) == 2)
        #expect(try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &out) == 1)
        #expect(out.first?.token == 7)
        #expect(out.first?.result == 2)
        if let c = out.first { engine.recycle(bufferIndex: c.bufferIndex) }
    }

    @Test func aWaitingReceiveReturnsEmptyAfterItsTimeoutAndCompletesLater() throws {
        let engine = BlockingEngine(bufferCount: 4, bufferSize: 1024)
        let (mine, peer) = pair()
        defer { close(mine); close(peer) }
        var out: [Completion] = []
        out.reserveCapacity(8)
        #expect(engine.enqueue(.recv(fd: mine), token: 9))
        // 50 ms: nothing arrives, so the call returns with the receive still queued.
        #expect(try engine.submitAndReap(wait: true, timeoutNanos: 50_000_000, into: &out) == 0)
        #expect(write(peer, "x", 1) == 1)
        #expect(try engine.submitAndReap(wait: true, timeoutNanos: 50_000_000, into: &out) == 1)
        #expect(out.first?.token == 9)
        #expect(out.first?.result == 1)
        if let c = out.first { engine.recycle(bufferIndex: c.bufferIndex) }
    }

    @Test func operationsRunInTheOrderTheyWereQueued() throws {
        let engine = BlockingEngine(bufferCount: 4, bufferSize: 1024)
        let (mine, peer) = pair()
        defer { close(mine); close(peer) }
        var out: [Completion] = []
        out.reserveCapacity(8)
        let reply = Array("answer".utf8)
        let n = reply.withUnsafeBytes { bytes -> Int in
            #expect(engine.enqueue(.send(fd: mine, bytes: bytes), token: 1))
            #expect(engine.enqueue(.recv(fd: mine), token: 2))
            // The send runs first, so the peer can read the answer before the engine reads.
            return (try? engine.submitAndReap(wait: false, timeoutNanos: 0, into: &out)) ?? -1
        }
        #expect(n == 1)
        var got = [UInt8](repeating: 0, count: 16)
        #expect(read(peer, &got, 16) == reply.count)
        #expect(out.map(\.token) == [1])
    }

    @Test func aCloseCancelsTheReceiveQueuedBeforeIt() throws {
        let engine = BlockingEngine(bufferCount: 4, bufferSize: 1024)
        let (mine, peer) = pair()
        defer { close(peer) }
        var out: [Completion] = []
        out.reserveCapacity(8)
        #expect(engine.enqueue(.recv(fd: mine), token: 1))
        #expect(try engine.submitAndReap(wait: true, timeoutNanos: 20_000_000, into: &out) == 0)
        #expect(engine.enqueue(.close(fd: mine), token: 2))
        #expect(try engine.submitAndReap(wait: true, timeoutNanos: 20_000_000, into: &out) == 2)
        #expect(out.map(\.token) == [1, 2])
        #expect(out.map(\.result) == [-ECANCELED, 0])
    }

    /// A peer that reads nothing: the send blocks one slice (SO_SNDTIMEO), then completes with
    /// the bytes the socket took, and the rest, sent again, completes with -ETIMEDOUT, so the
    /// loop gets a turn to run its send timeout.
    @Test func aSendToAPeerThatReadsNothingCompletesAfterItsSlice() throws {
        let engine = BlockingEngine(bufferCount: 4, bufferSize: 1024)
        let (mine, peer) = pair()
        defer { close(mine); close(peer) }
        var out: [Completion] = []
        out.reserveCapacity(8)
        let big = [UInt8](repeating: 0x61, count: 8 << 20)
        try big.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> Void in
            #expect(engine.enqueue(.send(fd: mine, bytes: bytes), token: 1))
            #expect(try engine.submitAndReap(wait: true, timeoutNanos: 50_000_000, into: &out) == 1)
            let moved = Int(out[0].result)
            #expect(moved > 0 && moved < big.count)
            let rest = UnsafeRawBufferPointer(rebasing: bytes[moved...])
            #expect(engine.enqueue(.send(fd: mine, bytes: rest), token: 2))
            #expect(try engine.submitAndReap(wait: true, timeoutNanos: 50_000_000, into: &out) == 1)
            #expect(out[1].result == -ETIMEDOUT)
        }
    }

    /// A response queued while a receive waits (a timeout's 408) goes out in the next call
    /// without the receive waiting first (it is only tried); the receive stays armed. The
    /// descriptor is non-blocking so that a wait would show as a poll(2) in the counters.
    @Test func aSendQueuedBehindAWaitingReceiveIsNotHeldUp() throws {
        let engine = BlockingEngine(bufferCount: 4, bufferSize: 1024)
        let (mine, peer) = pair()
        defer { close(mine); close(peer) }
        _ = fcntl(mine, F_SETFL, fcntl(mine, F_GETFL) | O_NONBLOCK)
        var out: [Completion] = []
        out.reserveCapacity(8)
        #expect(engine.enqueue(.recv(fd: mine), token: 1))
        #expect(try engine.submitAndReap(wait: true, timeoutNanos: 20_000_000, into: &out) == 0)
        let polls = engine.counters.otherCalls
        let reply = Array("408".utf8)
        try reply.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> Void in
            #expect(engine.enqueue(.send(fd: mine, bytes: bytes), token: 2))
            #expect(try engine.submitAndReap(wait: true, timeoutNanos: 20_000_000, into: &out) == 1)
        }
        #expect(engine.counters.otherCalls == polls, "the receive waited before the send")
        #expect(out.map(\.token) == [2])
        var got = [UInt8](repeating: 0, count: 8)
        #expect(read(peer, &got, 8) == 3)
        #expect(write(peer, "x", 1) == 1)
        #expect(try engine.submitAndReap(wait: true, timeoutNanos: 20_000_000, into: &out) == 1)
        #expect(out.map(\.token) == [2, 1])
        if out.count == 2 { engine.recycle(bufferIndex: out[1].bufferIndex) }
    }
}
