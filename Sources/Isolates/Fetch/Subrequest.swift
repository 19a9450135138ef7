// Subrequest: one fetch() exchange with a backend over the loop's I/O: connect (or a pooled
// connection), send the request, receive the response, hand the connection back to the pool.
import Glibc
import Responding

/// One HTTP/1.1 exchange, driven by loop completions (LoopIOClient). It never calls the kernel
/// on its socket itself: connect, send, receive and close are LoopIO operations, so in uring
/// mode they ride in the loop's io_uring_enter with everything else.
final class Subrequest: LoopIOClient {
    enum Outcome {
        case response(FetchResponseParser)
        case failure(String)
    }
    private enum Phase: UInt64 { case connect = 1, send, receive, close }

    let backend: BackendAddress
    private let io: LoopIO
    private let pool: BackendPool
    private let isHead: Bool
    private let maxBodyBytes: Int
    /// The request bytes and the sockaddr, owned here until their operations complete.
    private let requestBytes: UnsafeMutableRawBufferPointer
    private let addressBytes: UnsafeMutableRawBufferPointer
    private var sent = 0
    private var fd: Int32 = -1
    private var reused = false
    private var parser: FetchResponseParser
    private var finished = false
    private var retried = false
    /// Called once with the outcome, on the loop thread.
    private let done: (Outcome) -> Void

    init(backend: BackendAddress, request: [UInt8], isHead: Bool, maxBodyBytes: Int, io: LoopIO,
         pool: BackendPool, done: @escaping (Outcome) -> Void) {
        self.backend = backend
        self.io = io
        self.pool = pool
        self.isHead = isHead
        self.maxBodyBytes = maxBodyBytes
        self.done = done
        parser = FetchResponseParser(isHead: isHead, maxBodyBytes: maxBodyBytes)
        requestBytes = .allocate(byteCount: max(1, request.count), alignment: 8)
        requestBytes.copyMemory(from: UnsafeRawBufferPointer(start: request, count: request.count))
        sent = 0
        let address = UnsafeMutableRawBufferPointer.allocate(byteCount: MemoryLayout<sockaddr_in>.size, alignment: 8)
        withUnsafeBytes(of: backend.address) { address.copyMemory(from: $0) }
        addressBytes = address
        requestCount = request.count
    }
    private let requestCount: Int

    deinit {
        requestBytes.deallocate()
        addressBytes.deallocate()
    }

    /// Starts on a pooled connection when there is one, else connects a new socket.
    func start() {
        if let idle = pool.take(backend.key) {
            fd = idle
            reused = true
            sendRest()
            return
        }
        connectNew()
    }

    /// Abandons the exchange (AbortSignal): the connection is closed, late completions ignored.
    func abort() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { io.close(fd: fd, client: self, tag: Phase.close.rawValue); fd = -1 }
    }

    private func connectNew() {
        reused = false
        let s = io.openSocket()
        guard s >= 0 else { return fail("cannot create a socket: \(String(cString: strerror(-s)))") }
        fd = s
        io.connect(fd: fd, address: UnsafeRawBufferPointer(addressBytes), client: self, tag: Phase.connect.rawValue)
    }

    private func sendRest() {
        io.send(fd: fd, bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(requestBytes)[sent..<requestCount]),
                client: self, tag: Phase.send.rawValue)
    }

    func ioCompleted(tag: UInt64, result: Int32, bytes: UnsafeRawBufferPointer) {
        guard !finished else { return }
        switch Phase(rawValue: tag) {
        case .connect:
            guard result >= 0 else { return fail("connection to \(backend.key) failed: \(String(cString: strerror(-result)))") }
            sendRest()
        case .send:
            guard result > 0 else { return retryOrFail("sending to \(backend.key) failed: \(String(cString: strerror(result == 0 ? EPIPE : -result)))") }
            sent += Int(result)
            if sent < requestCount { sendRest() } else { io.receive(fd: fd, client: self, tag: Phase.receive.rawValue) }
        case .receive:
            if result == -ENOBUFS || result == -EAGAIN || result == -EINTR {
                io.receive(fd: fd, client: self, tag: Phase.receive.rawValue)
                return
            }
            guard result >= 0 else { return retryOrFail("receiving from \(backend.key) failed: \(String(cString: strerror(-result)))") }
            if result == 0 {
                if reused && !parser.started { return retryOrFail("") }
                settle(parser.endOfInput())
                return
            }
            settle(parser.feed(bytes))
        case .close, nil:
            return
        }
    }

    func timerFired(tag: UInt64) {}

    private func settle(_ progress: FetchResponseParser.Progress) {
        switch progress {
        case .needMore:
            io.receive(fd: fd, client: self, tag: Phase.receive.rawValue)
        case .failed(let message):
            fail("bad response from \(backend.key): \(message)")
        case .done:
            finished = true
            if parser.keepAlive { pool.put(backend.key, fd, io: io) } else { io.close(fd: fd, client: self, tag: Phase.close.rawValue) }
            fd = -1
            done(.response(parser))
        }
    }

    /// A kept-alive connection the backend had closed fails before any response byte: the
    /// request is sent again once on a new connection (as browsers and workerd do).
    private func retryOrFail(_ message: String) {
        if reused && !retried && !parser.started {
            retried = true
            io.close(fd: fd, client: self, tag: Phase.close.rawValue)
            sent = 0
            parser = FetchResponseParser(isHead: isHead, maxBodyBytes: maxBodyBytes)
            connectNew()
            return
        }
        fail(message.isEmpty ? "the backend \(backend.key) closed the connection" : message)
    }

    private func fail(_ message: String) {
        guard !finished else { return }
        finished = true
        if fd >= 0 { io.close(fd: fd, client: self, tag: Phase.close.rawValue); fd = -1 }
        done(.failure(message))
    }
}

/// Idle kept-alive connections per backend, for one runtime (so one loop, or one shared by
/// the blocking model's threads, whose sockets are blocking and usable from any of them).
final class BackendPool: LoopIOClient {
    private var idle: [String: [Int32]] = [:]
    let maxIdlePerBackend: Int

    init(maxIdlePerBackend: Int) { self.maxIdlePerBackend = maxIdlePerBackend }

    func take(_ key: String) -> Int32? { idle[key]?.popLast() }

    func put(_ key: String, _ fd: Int32, io: LoopIO) {
        if idle[key, default: []].count < maxIdlePerBackend {
            idle[key, default: []].append(fd)
        } else {
            io.close(fd: fd, client: self, tag: 0)
        }
    }

    func ioCompleted(tag: UInt64, result: Int32, bytes: UnsafeRawBufferPointer) {}
    func timerFired(tag: UInt64) {}
}
