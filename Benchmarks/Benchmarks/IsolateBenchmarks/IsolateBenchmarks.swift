// IsolateBenchmarks: a JavaScript handler call on a warm isolate, and an isolate's cold start.
import Benchmark
import HTTP1
import Isolates
import Platform

/// One parsed request for the built-in `hello` tenant, with the bytes its ranges point into.
final class HelloRequest {
    let bytes: UnsafeMutableRawBufferPointer
    let request: HTTPRequest

    init() {
        let text = Array("GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n".utf8)
        let b = UnsafeMutableRawBufferPointer.allocate(byteCount: text.count, alignment: 16)
        text.withUnsafeBytes { b.copyMemory(from: $0) }
        bytes = b
        var parser = HTTPRequestParser()
        guard case .complete = parser.parse(b) else { fatalError("sample request did not parse") }
        request = parser.request
    }

    /// Runs the request through `runtime`; traps unless the tenant answered 200, so a broken
    /// tenant cannot pass for a fast one.
    @inline(__always)
    func respond(_ runtime: IsolateRuntime, into out: OutputBuffer) {
        let status = runtime.respond(to: request, in: UnsafeRawBufferPointer(bytes), keepAlive: true, into: out)
        guard status == 200 else { fatalError("hello tenant answered \(status)") }
        out.removeAll()
    }
}

func makeRuntime() -> IsolateRuntime {
    do {
        return try IsolateRuntime(options: IsolateOptions(), tenants: .demo, logger: .lines { _ in })
    } catch {
        fatalError("IsolateRuntime: \(error)")
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
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 10, maxDuration: .seconds(3), maxIterations: 100_000)

    // The harness's own allocations per measured iteration, to subtract from the others.
    Benchmark("Baseline: empty iteration") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(benchmark) }
    }

    // Per request: route, call `fetch` in the tenant's context, settle the Response and write
    // the HTTP/1.1 response. 1000 requests per measured iteration.
    let warm = Lazy { () -> (IsolateRuntime, OutputBuffer, HelloRequest) in
        let runtime = makeRuntime(), out = OutputBuffer(capacity: 16 * 1024), hello = HelloRequest()
        for _ in 0..<1000 { hello.respond(runtime, into: out) }  // cold start, then JIT warm-up
        return (runtime, out, hello)
    }
    Benchmark("Isolates: hello handler on a warm isolate (x1000)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (runtime, out, hello) = warm.value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { hello.respond(runtime, into: out) }
    }

    // Cold start: a new context group and global object, the prelude, the tenant's script, and
    // the first request. The eviction of the previous isolate happens outside the measurement.
    let cold = Lazy { () -> (IsolateRuntime, OutputBuffer, HelloRequest) in
        (makeRuntime(), OutputBuffer(capacity: 16 * 1024), HelloRequest())
    }
    Benchmark("Isolates: cold start (create isolate + first request)",
              configuration: .init(maxDuration: .seconds(5), maxIterations: 2_000)) { benchmark in
        let (runtime, out, hello) = cold.value
        for _ in benchmark.scaledIterations {
            runtime.evictAll()
            benchmark.startMeasurement()
            hello.respond(runtime, into: out)
            benchmark.stopMeasurement()
        }
    }
}
