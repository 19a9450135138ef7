// URingEngine+Enqueue: one exhaustive switch that turns an Operation into SQEs.
import CLiburing
import IOCore
#if canImport(Glibc)
import Glibc
#endif

// IOSQE_* flags are macros over enum bits that Swift does not import; spelled out here.
let sqeFixedFile = UInt8(1 << IOSQE_FIXED_FILE_BIT)
let sqeHardLink = UInt8(1 << IOSQE_IO_HARDLINK_BIT)
let sqeBufferSelect = UInt8(1 << IOSQE_BUFFER_SELECT_BIT)

extension URingEngine {
    public func enqueue(_ operation: Operation, token: UInt64) -> Bool {
        // A close needs two SQEs (cancel, then close), hard-linked; check room for both first.
        let needed: UInt32
        if case .close = operation { needed = 2 } else { needed = 1 }
        guard io_uring_sq_space_left(ring) >= needed else {
            counters.submissionQueueFull += 1
            return false
        }
        switch operation {
        case .accept(let listener):
            let sqe = io_uring_get_sqe(ring)!
            let fixed = target(sqe, listener)
            switch (options.multishot, options.fixedFiles) {
            case (true, true): io_uring_prep_multishot_accept_direct(sqe, fixed, nil, nil, 0)
            case (true, false): io_uring_prep_multishot_accept(sqe, fixed, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            case (false, true):
                io_uring_prep_accept_direct(sqe, fixed, nil, nil, 0, UInt32(IORING_FILE_INDEX_ALLOC))
            case (false, false): io_uring_prep_accept(sqe, fixed, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            }
            markFixed(sqe, listener)
            io_uring_sqe_set_data64(sqe, UInt64(slots.take(.accept, token: token)))

        case .recv(let fd):
            if bufRing != nil {
                let sqe = io_uring_get_sqe(ring)!
                let target = target(sqe, fd)
                if options.multishot {
                    io_uring_prep_recv_multishot(sqe, target, nil, 0, 0)
                } else {
                    io_uring_prep_recv(sqe, target, nil, pool.size, 0)
                }
                markFixed(sqe, fd)
                sqe.pointee.flags |= sqeBufferSelect
                sqe.pointee.buf_group = URingEngine.bufferGroup
                io_uring_sqe_set_data64(sqe, UInt64(slots.take(.recv, token: token)))
            } else {
                // No buffer ring: the buffer is chosen now; an empty pool is reported like the
                // kernel reports an empty ring, so the caller handles one case.
                guard let buffer = pool.take() else {
                    counters.bufferExhaustions += 1
                    synthesized.append(Completion(token: token, result: -ENOBUFS))
                    return true
                }
                let sqe = io_uring_get_sqe(ring)!
                io_uring_prep_recv(sqe, target(sqe, fd), pool.pointer(buffer), pool.size, 0)
                markFixed(sqe, fd)
                io_uring_sqe_set_data64(sqe, UInt64(slots.take(.recv, token: token, buffer: buffer)))
            }

        case .send(let fd, let bytes):
            let sqe = io_uring_get_sqe(ring)!
            let target = target(sqe, fd)
            if options.sendZC {
                io_uring_prep_send_zc(sqe, target, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), 0)
            } else {
                io_uring_prep_send(sqe, target, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            }
            markFixed(sqe, fd)
            io_uring_sqe_set_data64(sqe, UInt64(slots.take(options.sendZC ? .sendZC : .send, token: token)))

        case .close(let fd):
            // Cancel everything pending on the fd first: the ring holds its own reference to
            // the file, so a plain close would leave a multishot recv armed forever. A hard
            // link runs the close even when there was nothing to cancel (-ENOENT).
            let fixed = fd >= URingEngine.fixedFileBase
            let key = fixed ? fd - URingEngine.fixedFileBase : fd
            let cancel = io_uring_get_sqe(ring)!
            var cancelFlags = UInt32(IORING_ASYNC_CANCEL_ALL)
            if fixed { cancelFlags |= UInt32(IORING_ASYNC_CANCEL_FD_FIXED) }
            io_uring_prep_cancel_fd(cancel, key, cancelFlags)
            cancel.pointee.flags |= sqeHardLink
            io_uring_sqe_set_data64(cancel, URingEngine.cancelTag)
            let sqe = io_uring_get_sqe(ring)!
            if fixed { io_uring_prep_close_direct(sqe, UInt32(key)) } else { io_uring_prep_close(sqe, fd) }
            io_uring_sqe_set_data64(sqe, UInt64(slots.take(.close, token: token)))

        case .connect(let fd, let address):
            let sqe = io_uring_get_sqe(ring)!
            let target = target(sqe, fd)
            io_uring_prep_connect(sqe, target, address.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                                  socklen_t(address.count))
            markFixed(sqe, fd)
            io_uring_sqe_set_data64(sqe, UInt64(slots.take(.connect, token: token)))

        case .timeout(let nanoseconds):
            let sqe = io_uring_get_sqe(ring)!
            let ts = timespecs + (sqe - ring.pointee.sq.sqes)
            ts.pointee.tv_sec = nanoseconds / 1_000_000_000
            ts.pointee.tv_nsec = nanoseconds % 1_000_000_000
            io_uring_prep_timeout(sqe, ts, 0, 0)
            io_uring_sqe_set_data64(sqe, UInt64(slots.take(.timeout, token: token)))
        }
        return true
    }

    /// The descriptor field for an SQE: the registered-file index for fixed descriptors.
    @inline(__always)
    func target(_ sqe: UnsafeMutablePointer<io_uring_sqe>, _ fd: Int32) -> Int32 {
        fd >= URingEngine.fixedFileBase ? fd - URingEngine.fixedFileBase : fd
    }

    /// Sets IOSQE_FIXED_FILE after prep (prep functions reset the SQE's flags).
    @inline(__always)
    func markFixed(_ sqe: UnsafeMutablePointer<io_uring_sqe>, _ fd: Int32) {
        if fd >= URingEngine.fixedFileBase { sqe.pointee.flags |= sqeFixedFile }
    }

    /// Keeps one read of the wakeup eventfd in the ring; re-armed after each completion.
    func armWakeup() {
        guard !wakeArmed, let sqe = io_uring_get_sqe(ring) else { return }
        io_uring_prep_read(sqe, wakeFd, wakeBuffer, 8, 0)
        io_uring_sqe_set_data64(sqe, URingEngine.wakeupTag)
        wakeArmed = true
    }
}
