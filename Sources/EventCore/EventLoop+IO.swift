// EventLoop+IO: the loop as a responder's LoopIO: client-socket operations queued in the turn like
// the server's own, their completions routed by token to the client that asked; one engine
// timeout armed for all of the loop's timers.
import IOCore
import Responding
#if canImport(Glibc)
import Glibc
#endif

/// The loop's side of `LoopIO`: who waits for which operation, and the timers.
final class LoopIOState {
    /// An operation in flight: its slot is the token's slot; nil client = free slot.
    struct Waiter {
        var client: LoopIOClient?
        var tag: UInt64
    }
    var waiters: [Waiter] = []
    var freeWaiters: [UInt32] = []

    /// Timers, a binary min-heap on (deadline, sequence): equal deadlines fire in the order
    /// they were scheduled.
    struct Timer {
        var deadline: Int64
        var sequence: UInt64
        var client: LoopIOClient
        var tag: UInt64
        @inline(__always) func before(_ other: Timer) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence)
        }
    }
    var timers: [Timer] = []
    var nextSequence: UInt64 = 0
    /// Deadline of the engine timeout armed now (.max = none); each arm gets a new
    /// generation so a superseded timeout's completion is recognised and only fires what is due.
    var armedDeadline = Int64.max
    var armGeneration: UInt32 = 0

    func push(_ timer: Timer) {
        timers.append(timer)
        var i = timers.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard timers[i].before(timers[parent]) else { break }
            timers.swapAt(i, parent)
            i = parent
        }
    }

    func popFirst() -> Timer {
        let first = timers[0]
        let last = timers.removeLast()
        if !timers.isEmpty {
            timers[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < timers.count && timers[l].before(timers[m]) { m = l }
                if r < timers.count && timers[r].before(timers[m]) { m = r }
                if m == i { break }
                timers.swapAt(i, m)
                i = m
            }
        }
        return first
    }

    func take(_ client: LoopIOClient, _ tag: UInt64) -> UInt32 {
        if let slot = freeWaiters.popLast() {
            waiters[Int(slot)] = Waiter(client: client, tag: tag)
            return slot
        }
        waiters.append(Waiter(client: client, tag: tag))
        return UInt32(waiters.count - 1)
    }
}

extension EventLoop: LoopIO {
    public var nowNanos: Int64 { clock() }

    public func schedule(atNanos deadlineNanos: Int64, client: LoopIOClient, tag: UInt64) {
        let state = io
        state.nextSequence &+= 1
        state.push(.init(deadline: deadlineNanos, sequence: state.nextSequence, client: client, tag: tag))
        if deadlineNanos < state.armedDeadline { armTimer(deadlineNanos) }
    }

    public func openSocket() -> Int32 {
        var type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if !options.blockingIO { type |= Int32(SOCK_NONBLOCK.rawValue) }
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return -errno }
        // Requests go out in one send each; without this a second small write on a kept-alive
        // connection would wait for the backend's delayed ACK.
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    public func connect(fd: Int32, address: UnsafeRawBufferPointer, client: LoopIOClient, tag: UInt64) {
        submitIO(.connect(fd: fd, address: address), client, tag)
    }

    public func send(fd: Int32, bytes: UnsafeRawBufferPointer, client: LoopIOClient, tag: UInt64) {
        submitIO(.send(fd: fd, bytes: bytes), client, tag)
    }

    public func receive(fd: Int32, client: LoopIOClient, tag: UInt64) {
        submitIO(.recvOnce(fd: fd), client, tag)
    }

    public func close(fd: Int32, client: LoopIOClient, tag: UInt64) {
        submitIO(.close(fd: fd), client, tag)
    }

    private func submitIO(_ operation: Operation, _ client: LoopIOClient, _ tag: UInt64) {
        let slot = io.take(client, tag)
        stats.clientOperations += 1
        submit(operation, Token(slot: slot, generation: 0, kind: .io))
    }

    private func armTimer(_ deadline: Int64) {
        let state = io
        state.armedDeadline = deadline
        state.armGeneration = (state.armGeneration &+ 1) & 0xFF_FFFF
        submit(.timeout(nanoseconds: max(1, deadline - clock())),
               Token(slot: 0, generation: state.armGeneration, kind: .timer))
    }

    /// A client operation's completion: to its client (under the responder's lock when the
    /// responder is shared between threads).
    func clientCompleted(_ c: Completion, slot: UInt32) {
        let waiter = io.waiters[Int(slot)]
        if !c.hasMore {
            io.waiters[Int(slot)].client = nil
            io.freeWaiters.append(slot)
        }
        guard let client = waiter.client else {
            if c.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: c.bufferIndex) }
            return
        }
        var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
        if c.bufferIndex != Completion.noBuffer, c.result > 0 {
            bytes = UnsafeRawBufferPointer(engine.buffer(c.bufferIndex, count: Int(c.result)))
        }
        serialised { client.ioCompleted(tag: waiter.tag, result: c.result, bytes: bytes) }
        if c.bufferIndex != Completion.noBuffer { engine.recycle(bufferIndex: c.bufferIndex) }
    }

    /// An engine timeout completed: fires every due timer, then arms for the next one unless
    /// a timeout that is still pending covers it.
    func timerCompleted(generation: UInt32) {
        let state = io
        if generation == state.armGeneration { state.armedDeadline = .max }
        let now = clock()
        while let first = state.timers.first, first.deadline <= now {
            let timer = state.popFirst()
            stats.timersFired += 1
            serialised { timer.client.timerFired(tag: timer.tag) }
        }
        if let next = state.timers.first, next.deadline < state.armedDeadline { armTimer(next.deadline) }
    }

    /// Runs a call into the responder's world under its lock when it has one (see
    /// SerialisedResponder).
    @inline(__always)
    func serialised(_ body: () -> Void) {
        if let shared = responder as? SerialisedResponder { shared.serialised(body) } else { body() }
    }
}
