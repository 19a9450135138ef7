// Supervisor+Housekeeping: the supervisor's own thread: reads every worker's channel
// (acknowledgements, connections handed back, end of file), gives back what a dead worker never
// took, reaps exiting processes and enforces their SIGKILL deadline.
import Logging
import Platform
#if canImport(Glibc)
import Glibc
#endif

extension Supervisor {
    func housekeeping() {
        var fds: [pollfd] = []
        var workers: [Worker] = []
        while true {
            let (stop, retired) = state.withLock { s -> (Bool, [Worker]) in
                let r = s.retired
                s.retired.removeAll()
                return (s.stopping, r)
            }
            let deadline = monotonicNanos() + 1_000_000_000
            state.withLock { s in
                for w in retired where s.dying[w.pid] == nil { s.dying[w.pid] = deadline }
            }
            reap()
            if stop { return }
            workers = state.withLock { $0.polled }
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeFd, events: Int16(POLLIN), revents: 0))
            for w in workers { fds.append(pollfd(fd: w.channel.fd, events: Int16(POLLIN), revents: 0)) }
            let n = poll(&fds, nfds_t(fds.count), 200)
            if n <= 0 { continue }
            if fds[0].revents != 0 {
                var value: UInt64 = 0
                _ = read(wakeFd, &value, 8)
            }
            for (i, w) in workers.enumerated() where fds[i + 1].revents != 0 {
                switch w.channel.receive() {
                case .connection(let fd, let bytes, let origin):
                    if let deliver { deliver(fd, bytes, origin) } else { close(fd) }
                case .ack:
                    acknowledged(w)
                case .ready:
                    break
                case .closed:
                    channelEnded(w)
                }
            }
        }
    }

    /// The worker took its oldest unacknowledged connection: the front's copy can go.
    func acknowledged(_ w: Worker) {
        let entry = state.withLock { _ in w.unacked.isEmpty ? nil : w.unacked.removeFirst() }
        if let entry { close(entry.fd) }
    }

    /// End of file on a worker's channel: the process exited (cgi: done; process: crashed or
    /// killed) and every message it sent has been read. Connections it never acknowledged
    /// were never served: they go back to the front, which routes them again (to a new process).
    func channelEnded(_ w: Worker) {
        let (wasLive, orphans) = state.withLock { s -> (Bool, [HandedConnection]) in
            let live = s.workers[w.tenant] === w
            if live {
                s.workers[w.tenant] = nil
                s.crashed += 1
            }
            if !w.retired {
                w.retired = true
                s.retired.append(w)
            }
            s.polled.removeAll { $0 === w }
            let orphans = w.unacked
            w.unacked.removeAll()
            s.redelivered += UInt64(orphans.count)
            return (live, orphans)
        }
        w.channel.close()
        if wasLive { logger.warning("worker for tenant \(w.tenant) (pid \(w.pid)) went away; the next request starts a new one") }
        for c in orphans {
            logger.warning("worker for tenant \(w.tenant) (pid \(w.pid)) ended before taking a connection; routing it again")
            if let deliver { deliver(c.fd, c.bytes, c.origin) } else { close(c.fd) }
        }
        if !orphans.isEmpty { wake() }
    }

    /// waitpid(WNOHANG) on every exiting worker; SIGKILL to those past their deadline.
    func reap() {
        let dying = state.withLock { $0.dying }
        guard !dying.isEmpty else { return }
        let now = monotonicNanos()
        for (pid, deadline) in dying {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno == ECHILD) {
                state.withLock { $0.dying[pid] = nil; $0.reaped += 1 }
                let signal = status & 0x7F
                if r == pid && signal != 0 && signal != SIGTERM {
                    logger.warning("worker pid \(pid) was killed by signal \(signal)")
                }
            } else if now >= deadline {
                kill(pid, SIGKILL)
            }
        }
    }
}
