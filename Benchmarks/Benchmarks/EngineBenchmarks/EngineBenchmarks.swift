// EngineBenchmarks: one request/response round trip on loopback through an I/O engine.
import Benchmark
import BenchEngines
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// A server side driven by one engine and a blocking client socket, both on this thread.
/// Per round trip: the client sends a request (it fits the socket buffer, so send returns at
/// once), the engine reaps the receive, sends a fixed response and reaps that send, and the
/// client reads the response. No thread hand-off, so the time is syscalls plus engine work.
final class LoopbackRoundTrip {
    let engine: any IOEngine
    let listener: Int32
    let client: Int32
    var server: Int32 = -1
    var completions: [Completion] = []
    let request = Array("GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n".utf8)
    let response: UnsafeRawBufferPointer
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)

    static let acceptToken: UInt64 = 1, recvToken: UInt64 = 2, sendToken: UInt64 = 3

    init(_ engine: any IOEngine) throws {
        self.engine = engine
        completions.reserveCapacity(64)
        let text = Array("HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\nhello world\n".utf8)
        let r = UnsafeMutableRawBufferPointer.allocate(byteCount: text.count, alignment: 16)
        text.withUnsafeBytes { r.copyMemory(from: $0) }
        response = UnsafeRawBufferPointer(r)

        listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: true)
        client = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var addr = try Socket.ipv4Address(host: "127.0.0.1", port: Socket.localPort(listener))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw IOError(errno: errno, what: "connect") }
        Socket.setNoDelay(client)
        _ = engine.enqueue(.accept(listener: listener), token: Self.acceptToken)
        server = Int32(try pump(Self.acceptToken).result)
        guard server >= 0 else { throw IOError(errno: -server, what: "accept") }
        Socket.setNoDelay(server)
        _ = engine.enqueue(.recv(fd: server), token: Self.recvToken)
    }

    /// Pumps the engine until a completion with `token` arrives; other completions (a
    /// multishot accept's) are dropped.
    func pump(_ token: UInt64) throws -> Completion {
        while true {
            completions.removeAll(keepingCapacity: true)
            _ = try engine.submitAndReap(wait: true, timeoutNanos: 1_000_000_000, into: &completions)
            for c in completions where c.token == token { return c }
        }
    }

    func roundTrip() throws {
        let sent = request.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { fatalError("client send: \(sent)") }
        let received = try pump(Self.recvToken)
        guard received.result == Int32(request.count) else { fatalError("server recv: \(received.result)") }
        engine.recycle(bufferIndex: received.bufferIndex)
        if !received.hasMore { _ = engine.enqueue(.recv(fd: server), token: Self.recvToken) }
        _ = engine.enqueue(.send(fd: server, bytes: response), token: Self.sendToken)
        let done = try pump(Self.sendToken)
        guard done.result == Int32(response.count) else { fatalError("server send: \(done.result)") }
        var got = 0
        while got < response.count {
            let n = recv(client, scratch.baseAddress! + got, scratch.count - got, 0)
            guard n > 0 else { fatalError("client recv: \(n)") }
            got += n
        }
    }
}

/// State built on first use and kept across iterations: a benchmark's closure is the body of
/// one iteration, so set-up written inside it would be redone (and leaked) every iteration.
final class Lazy<T> {
    private let make: () -> T
    private(set) lazy var value: T = make()
    init(_ make: @escaping () -> T) { self.make = make }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .syscalls, .contextSwitches, .throughput],
        warmupIterations: 100, maxDuration: .seconds(3), maxIterations: 200_000)

    for kind in BenchEngines.kinds {
        let trip = Lazy { () -> LoopbackRoundTrip? in
            do {
                let t = try LoopbackRoundTrip(try BenchEngines.make(kind))
                for _ in 0..<1000 { try t.roundTrip() }
                return t
            } catch {
                print("skipped: engine \(kind) unavailable: \(error)")
                return nil
            }
        }
        // 1000 round trips per measured iteration; the figures shown are per round trip.
        Benchmark("Engine \(kind): loopback round trip (client send, recv, send, client recv)",
                  configuration: .init(scalingFactor: .kilo)) { benchmark in
            guard let t = trip.value else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { try t.roundTrip() }
        }
    }
}
