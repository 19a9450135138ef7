// URingEngine+Reap: one io_uring_enter per tick (or none), then CQEs turned into completions.
import CLiburing
import IOCore
#if canImport(Glibc)
import Glibc
#endif

let cqeMore = UInt32(IORING_CQE_F_MORE)
let cqeBuffer = UInt32(IORING_CQE_F_BUFFER)
let cqeNotif = UInt32(IORING_CQE_F_NOTIF)

extension URingEngine {
    public func submitAndReap(wait: Bool, timeoutNanos: Int64,
                              into completions: inout [Completion]) throws(IOError) -> Int {
        if !enabled { try enable() }
        if !wakeArmed { armWakeup() }
        let room = completions.capacity - completions.count
        let limit = room > 0 ? min(options.batch, room) : options.batch
        var appended = 0
        while appended < limit, !synthesized.isEmpty {
            completions.append(synthesized.removeFirst())
            appended += 1
        }
        try enter(wait: wait && appended == 0, timeoutNanos: timeoutNanos)
        appended += reap(limit: limit - appended, into: &completions)
        return appended
    }

    /// Enables a ring created with IORING_SETUP_R_DISABLED from the loop's own thread.
    private func enable() throws(IOError) {
        let rc = isoring_uring_enable_rings(ring.pointee.ring_fd)
        counters.otherCalls += 1
        if rc < 0 { throw IOError(errno: -rc, what: "io_uring_enable_rings (--defer-taskrun)") }
        enabled = true
    }

    /// Publishes queued SQEs and makes at most one io_uring_enter(2), only when it is needed:
    /// there is something to submit, the caller must wait and no CQE is ready, the kernel has
    /// task work or overflowed CQEs for us, or the SQPOLL thread sleeps.
    private func enter(wait: Bool, timeoutNanos: Int64) throws(IOError) {
        let published = ring.pointee.sq.sqe_tail &- ring.pointee.sq.sqe_head
        let toSubmit = isoring_uring_flush_sq(ring)
        let sqFlags = isoring_uring_sq_flags(ring)
        let mustWait = wait && io_uring_cq_ready(ring) == 0
        let kernelWork = sqFlags & UInt32(IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN) != 0
        var flags: UInt32 = 0
        if options.sqpoll {
            counters.sqesSubmitted += UInt64(published)
            if sqFlags & UInt32(IORING_SQ_NEED_WAKEUP) != 0 { flags |= UInt32(IORING_ENTER_SQ_WAKEUP) }
            if mustWait || kernelWork { flags |= UInt32(IORING_ENTER_GETEVENTS) }
            if flags == 0 { return }
        } else {
            guard toSubmit > 0 || mustWait || kernelWork else { return }
            // GETEVENTS with min_complete 0 costs nothing extra and runs deferred task work.
            flags = UInt32(IORING_ENTER_GETEVENTS)
        }
        counters.enterCalls += 1
        let rc = isoring_uring_enter(ring.pointee.ring_fd, toSubmit, mustWait ? options.waitBatch : 0, flags,
                                     mustWait ? timeoutNanos : 0, mustWait ? options.minWaitMicros : 0)
        if rc >= 0 {
            if !options.sqpoll { counters.sqesSubmitted += UInt64(rc) }
            return
        }
        switch -rc {
        case EINTR, ETIME, EAGAIN, EBUSY:
            return  // interrupted, timed out, or CQ backpressure: reap what is there
        case EEXIST:
            throw IOError(errno: EEXIST, what: "io_uring_enter from a second thread on a "
                + "SINGLE_ISSUER ring (--defer-taskrun): an engine belongs to one thread")
        default:
            throw IOError(errno: -rc, what: "io_uring_enter")
        }
    }

    /// Reads ready CQEs in batches (io_uring_peek_batch_cqe, called only when CQEs are ready
    /// so it never enters the kernel itself) and advances the CQ head once per batch.
    private func reap(limit: Int, into completions: inout [Completion]) -> Int {
        var appended = 0
        while appended < limit {
            let ready = io_uring_cq_ready(ring)
            if ready == 0 { break }
            let n = Int(io_uring_peek_batch_cqe(ring, cqeBatch, min(ready, UInt32(options.batch))))
            var consumed = 0
            while consumed < n, appended < limit {
                let cqe = cqeBatch[consumed]!.pointee
                consumed += 1
                if let completion = complete(cqe) {
                    completions.append(completion)
                    appended += 1
                }
            }
            io_uring_cq_advance(ring, UInt32(consumed))
            counters.completions += UInt64(consumed)
        }
        return appended
    }

    /// Maps one CQE to the caller's completion, or nil for internal and held-back CQEs.
    private func complete(_ cqe: io_uring_cqe) -> Completion? {
        let tag = cqe.user_data
        if tag == URingEngine.wakeupTag {
            wakeArmed = false
            armWakeup()
            return nil
        }
        if tag == URingEngine.cancelTag { return nil }
        let index = Int(tag)
        let slot = slots[index]
        let more = cqe.flags & cqeMore != 0
        var result = cqe.res
        switch slot.kind {
        case .accept:
            if result >= 0, options.fixedFiles { result += URingEngine.fixedFileBase }
            if !more { slots.release(index) }
            return Completion(token: slot.token, result: result, hasMore: more)
        case .recv:
            var buffer = Completion.noBuffer
            if cqe.flags & cqeBuffer != 0 {
                let id = UInt16(truncatingIfNeeded: cqe.flags >> UInt32(IORING_CQE_BUFFER_SHIFT))
                if result > 0 { buffer = id } else { recycle(bufferIndex: id) }
            } else if slot.buffer != Completion.noBuffer {
                if result > 0 { buffer = slot.buffer } else { pool.give(slot.buffer) }
            }
            if result == -ENOBUFS { counters.bufferExhaustions += 1 }
            if !more { slots.release(index) }
            return Completion(token: slot.token, result: result, bufferIndex: buffer, hasMore: more)
        case .sendZC:
            // The first CQE carries the result; with F_MORE a notification follows once the
            // kernel no longer reads the caller's bytes, and only then may the caller reuse them.
            if cqe.flags & cqeNotif != 0 {
                slots.release(index)
                return Completion(token: slot.token, result: slot.sendResult)
            }
            if more {
                slots[index].sendResult = result
                return nil
            }
            slots.release(index)
            return Completion(token: slot.token, result: result)
        case .send, .close, .connect, .timeout:
            slots.release(index)
            return Completion(token: slot.token, result: result)
        case .free:
            preconditionFailure("CQE for a free slot \(index): user_data bookkeeping is broken")
        }
    }
}
