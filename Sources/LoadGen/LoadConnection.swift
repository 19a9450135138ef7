// LoadConnection: one client connection's state: its outbox, the start times of requests in flight, its parser.
#if canImport(Glibc)
import Glibc
#endif

/// Owned by one load thread. The outbox is a fixed allocation: bytes handed to a `.send`
/// stay untouched until its completion, and new requests are appended after them.
final class LoadConnection {
    enum State { case idle, connecting, ready, closing }

    let index: Int
    var fd: Int32 = -1
    /// Bumped on every close, so completions for an earlier socket are recognised and dropped.
    var generation: UInt16 = 0
    var state = State.idle
    var reconnectAtNanos: Int64 = 0

    let out: UnsafeMutableRawPointer
    let outCapacity: Int
    var outCount = 0
    /// Bytes handed to the engine and not yet completed (0 = no send in flight).
    var sendInFlight = 0

    /// Start time (due time in the open loop, send time in the closed loop) of each request in
    /// flight, oldest first, in a ring of `pipeline` slots.
    var starts: [Int64]
    var head = 0
    var outstanding = 0
    var parser = ResponseParser()
    /// Open loop: when this connection's next request is due.
    var nextDueNanos: Int64 = 0

    init(index: Int, pipeline: Int, largestRequest: Int) {
        self.index = index
        outCapacity = max(4096, pipeline * largestRequest * 2)
        out = UnsafeMutableRawPointer.allocate(byteCount: outCapacity, alignment: 16)
        starts = [Int64](repeating: 0, count: pipeline)
    }

    deinit { out.deallocate() }

    var pipeline: Int { starts.count }

    @inline(__always) func pushStart(_ t: Int64) {
        starts[(head + outstanding) % starts.count] = t
        outstanding += 1
    }

    @inline(__always) func popStart() -> Int64 {
        let t = starts[head]
        head = (head + 1) % starts.count
        outstanding -= 1
        return t
    }

    /// Appends request bytes; false when the outbox has no room (the request waits).
    @inline(__always) func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard outCount + bytes.count <= outCapacity else { return false }
        (out + outCount).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        outCount += bytes.count
        return true
    }

    /// A send completed with `sent` bytes: drop them, keep what follows.
    func sendCompleted(_ sent: Int) {
        let n = min(sent, outCount)
        if n < outCount { memmove(out, out + n, outCount - n) }
        outCount -= n
        sendInFlight = 0
    }

    /// Forgets everything in flight (the socket is being closed).
    func resetStreams() {
        outCount = 0
        sendInFlight = 0
        head = 0
        outstanding = 0
        parser = ResponseParser()
    }
}
