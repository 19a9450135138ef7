// `isoring origin`: a built-in backend for I/O-bound studies: fixed-size responses, an echo, an
// optional delay, on the same event loop and engines as the server.
import ArgumentParser
import EventCore
import HTTP1
import IOCore
import Responding
#if canImport(Glibc)
import Glibc
#endif

struct Origin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A backend for studies: GET /bytes/N (N bytes), POST /echo (the body back), ?delay_ms=D on either (answered D ms later, on a timer: the loop serves others meanwhile).",
        discussion: "Pin it with taskset next to the load generator so it does not take the server's cores.")

    @Option(help: "Address to listen on (IPv4).")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one and prints it).")
    var port: UInt16 = 9000

    @Option(help: "I/O engine: uring, epoll or blocking.")
    var io: EngineKind = .epoll

    @Option(help: "Largest request body accepted (bytes).")
    var maxBodyBytes = 16 << 20

    @OptionGroup(title: "io_uring knobs (with --io uring), as for isoring serve")
    var uring: URingFlags

    func validate() throws { try uring.validate(io: io) }

    func run() throws {
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGINT, SIGTERM] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.threading = io == .blocking ? .threadPerConnection(maxThreads: 1024) : .loops(threads: 1)
        options.loop.limits.maxBodyBytes = maxBodyBytes
        options.loop.blockingIO = io == .blocking
        options.loop.idleTimeoutSeconds = 0
        let engines = EngineFactory(io: io, uring: uring)
        let server = Server(options: options, factories: ServerFactories(
            engine: { _ in try engines.make() }, responder: { _ in OriginResponder() }), logger: Log.logger)
        try server.start()
        Log.logger.notice("origin listening on http://\(host):\(server.port)/ engine=\(engines.describe)")
        var received: Int32 = 0
        sigwait(&signals, &received)
        server.stop()
        server.wait()
    }
}

/// Answers the origin's three routes; delayed answers wait on the loop's timers.
final class OriginResponder: Responder, LoopIOClient {
    private static let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
    private var delayed: [UInt64: (handle: ResponseHandle, body: [UInt8]?, size: Int)] = [:]
    private var nextTag: UInt64 = 0

    func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                 into out: OutputBuffer) -> ResponseProgress {
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.target]), as: UTF8.self)
        let method = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.method]), as: UTF8.self)
        let parts = target.split(separator: "?", maxSplits: 1)
        let path = parts.first.map(String.init) ?? "/"
        var delayMs = 0
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") where pair.hasPrefix("delay_ms=") {
                delayMs = Int(pair.dropFirst(9)) ?? 0
            }
        }
        var body: [UInt8]? = nil
        var size = 0
        if path == "/echo" && method == "POST" {
            body = Array(UnsafeRawBufferPointer(rebasing: bytes[request.body]))
        } else if path.hasPrefix("/bytes/"), let n = Int(path.dropFirst(7)), n >= 0, method == "GET" || method == "HEAD" {
            size = n
        } else {
            HTTPResponseWriter.writeText(status: 404, "routes: GET /bytes/N, POST /echo, ?delay_ms=D\n",
                                         keepAlive: handle.keepAlive, isHead: handle.isHead, into: out)
            return .answered(status: 404)
        }
        guard delayMs > 0, let io = handle.sink.loopIO else {
            return .answered(status: Self.write(body, size, handle, out))
        }
        nextTag += 1
        delayed[nextTag] = (handle, body, size)
        io.schedule(atNanos: io.nowNanos + Int64(delayMs) * 1_000_000, client: self, tag: nextTag)
        return .pending
    }

    func timerFired(tag: UInt64) {
        guard let d = delayed.removeValue(forKey: tag) else { return }
        d.handle.complete { Self.write(d.body, d.size, d.handle, $0) }
    }

    func ioCompleted(tag: UInt64, result: Int32, bytes: UnsafeRawBufferPointer) {}

    private static func write(_ body: [UInt8]?, _ size: Int, _ handle: ResponseHandle, _ out: OutputBuffer) -> Int {
        let length = body?.count ?? size
        let type = [("content-type", body == nil ? "text/plain" : "application/octet-stream")]
        HTTPResponseWriter.writeHead(status: 200, headers: type, contentLength: length, keepAlive: handle.keepAlive, into: out)
        guard !handle.isHead else { return 200 }
        if let body {
            body.withUnsafeBytes { out.append($0) }
        } else {
            var left = size
            while left > 0 {
                let n = min(left, filler.count)
                filler.withUnsafeBytes { out.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                left -= n
            }
        }
        return 200
    }
}
