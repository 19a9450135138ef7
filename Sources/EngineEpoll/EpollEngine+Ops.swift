// EpollEngine+Ops: the syscalls themselves: accept4 and read loops, gathered sends, close, connect.
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

extension EpollEngine {
    /// Runs the queued operations in the order they were enqueued.
    func runOps(into completions: inout [Completion]) {
        for (op, token) in ops {
            switch op {
            case .accept(let listener):
                ensure(listener)
                if !fds[Int(listener)].registered {
                    // accept4 must never block the loop, whatever the caller created.
                    counters.otherCalls += 1
                    Socket.setNonBlocking(listener, true)
                    register(listener)
                } else {
                    fds[Int(listener)].readable = true  // re-armed after an error: try at once
                }
                fds[Int(listener)].acceptArmed = true
                fds[Int(listener)].acceptToken = token
                markReady(listener)
            case .recv(let fd):
                register(fd)
                fds[Int(fd)].recvArmed = true
                fds[Int(fd)].recvToken = token
                markReady(fd)
            case .send(let fd, let bytes):
                register(fd)
                fds[Int(fd)].sends.append(PendingSend(token: token, base: bytes.baseAddress!,
                                                      length: bytes.count, offset: 0))
                if !fds[Int(fd)].dirty {
                    fds[Int(fd)].dirty = true
                    dirty.append(fd)
                }
            case .close(let fd):
                closeNow(fd, token: token, into: &completions)
            case .connect(let fd, let address):
                connectNow(fd, address: address, token: token, into: &completions)
            case .timeout(let nanoseconds):
                timers.append((now() + nanoseconds, token))
            }
        }
        ops.removeAll(keepingCapacity: true)
    }

    /// Writes as much of the descriptor's queued sends as the socket takes, in one sendmsg
    /// per up to 64 sends. A send completes (with its full length) only once all of it is
    /// written, so a later send can never overtake the rest of an earlier one.
    func flush(_ fd: Int32, into completions: inout [Completion]) {
        let i = Int(fd)
        while fds[i].writable, !fds[i].sends.isEmpty {
            let count = min(fds[i].sends.count, EpollEngine.maxIovecs)
            var total = 0
            for k in 0..<count {
                let s = fds[i].sends[k]
                iovecs[k] = iovec(iov_base: UnsafeMutableRawPointer(mutating: s.base + s.offset),
                                  iov_len: s.length - s.offset)
                total += s.length - s.offset
            }
            counters.writeCalls += 1
            let n = iovecs.withUnsafeMutableBufferPointer { iov -> Int in
                var msg = msghdr()
                msg.msg_iov = iov.baseAddress
                msg.msg_iovlen = count
                return sendmsg(fd, &msg, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN { fds[i].writable = false; return }
                for s in fds[i].sends { completions.append(Completion(token: s.token, result: -e)) }
                fds[i].sends.removeAll(keepingCapacity: true)
                return
            }
            var left = n
            var done = 0
            while done < count {
                let remaining = fds[i].sends[done].length - fds[i].sends[done].offset
                if left < remaining {
                    fds[i].sends[done].offset += left
                    break
                }
                left -= remaining
                completions.append(Completion(token: fds[i].sends[done].token,
                                              result: Int32(fds[i].sends[done].length)))
                done += 1
            }
            fds[i].sends.removeFirst(done)
            if n < total { fds[i].writable = false }  // a short write means the buffer is full
        }
    }

    /// accept4 until EAGAIN, bounded per tick; each new socket is non-blocking.
    func acceptLoop(_ fd: Int32, limit: Int, into completions: inout [Completion]) {
        let i = Int(fd)
        var turns = 0
        while turns < options.readsPerTurn, completions.count < limit {
            turns += 1
            counters.acceptCalls += 1
            let conn = isoring_accept4(fd, nil, nil, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
            if conn >= 0 {
                ensure(conn)
                fds[Int(conn)] = FdState()
                completions.append(Completion(token: fds[i].acceptToken, result: conn, hasMore: true))
                continue
            }
            let e = errno
            switch e {
            case EAGAIN: fds[i].readable = false; return
            case EINTR, ECONNABORTED: continue
            default:
                // EMFILE, ENFILE, ENOBUFS...: the caller backs off and re-arms.
                fds[i].acceptArmed = false
                completions.append(Completion(token: fds[i].acceptToken, result: -e))
                return
            }
        }
    }

    /// read until EAGAIN (a short read also means drained, unless the peer has closed),
    /// bounded per tick; parks the descriptor when no buffer is free.
    func readLoop(_ fd: Int32, limit: Int, into completions: inout [Completion]) {
        let i = Int(fd)
        var turns = 0
        while turns < options.readsPerTurn, completions.count < limit, fds[i].recvArmed {
            turns += 1
            guard let buffer = pool.take() else {
                counters.bufferExhaustions += 1
                fds[i].starved = true
                starved.append(fd)
                return
            }
            counters.readCalls += 1
            let n = read(fd, pool.pointer(buffer), pool.size)
            if n > 0 {
                completions.append(Completion(token: fds[i].recvToken, result: Int32(n),
                                              bufferIndex: buffer, hasMore: true))
                if n < pool.size, !fds[i].peerClosed { fds[i].readable = false; return }
                continue
            }
            let e = errno
            pool.give(buffer)
            if n < 0, e == EINTR { continue }
            if n < 0, e == EAGAIN { fds[i].readable = false; return }
            fds[i].recvArmed = false
            fds[i].readable = false
            completions.append(Completion(token: fds[i].recvToken, result: n == 0 ? 0 : -e))
            return
        }
    }

    /// Tries queued sends, cancels what is left, removes the descriptor from the interest list
    /// (it may live on in another process after a hand-over) and closes it.
    func closeNow(_ fd: Int32, token: UInt64, into completions: inout [Completion]) {
        ensure(fd)
        let i = Int(fd)
        if !fds[i].sends.isEmpty { flush(fd, into: &completions) }
        for s in fds[i].sends { completions.append(Completion(token: s.token, result: -ECANCELED)) }
        if fds[i].recvArmed { completions.append(Completion(token: fds[i].recvToken, result: -ECANCELED)) }
        if fds[i].acceptArmed { completions.append(Completion(token: fds[i].acceptToken, result: -ECANCELED)) }
        if fds[i].connectPending {
            completions.append(Completion(token: fds[i].connectToken, result: -ECANCELED))
        }
        if fds[i].registered {
            counters.epollCtlCalls += 1
            epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
        }
        fds[i] = FdState()
        counters.closeCalls += 1
        let rc = close(fd)
        completions.append(Completion(token: token, result: rc == 0 ? 0 : -errno))
    }

    func connectNow(_ fd: Int32, address: UnsafeRawBufferPointer, token: UInt64,
                    into completions: inout [Completion]) {
        counters.otherCalls += 1
        let rc = connect(fd, address.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                         socklen_t(address.count))
        // Registered after connect(2): an unconnected socket polls as EPOLLHUP.
        register(fd)
        if rc == 0 { completions.append(Completion(token: token, result: 0)); return }
        let e = errno
        if e == EINPROGRESS {
            fds[Int(fd)].connectPending = true
            fds[Int(fd)].connectToken = token
            fds[Int(fd)].writable = false
            return
        }
        completions.append(Completion(token: token, result: -e))
    }

    func finishConnect(_ fd: Int32, into completions: inout [Completion]) {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        counters.otherCalls += 1
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        fds[Int(fd)].connectPending = false
        completions.append(Completion(token: fds[Int(fd)].connectToken, result: -err))
    }
}
