// HTTP1Benchmarks: time and allocations per request for the parser and the response writer.
import Benchmark
import HTTP1

/// Requests as a client sends them; parsed in place from one buffer that lives for the run,
/// so the numbers are the parser's alone (no copying into the buffer per iteration).
enum SampleRequests {
    static let smallGet = "GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n"

    /// A browser-sized head: request line plus 20 header fields (Host among them).
    static let twentyHeaders: String = {
        var s = "GET /hello/some/path?query=1&other=two HTTP/1.1\r\nHost: hello.localhost\r\n"
        let fields = [
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            ("Accept-Language", "en-US,en;q=0.5"), ("Accept-Encoding", "gzip, deflate, br, zstd"),
            ("Connection", "keep-alive"), ("Upgrade-Insecure-Requests", "1"),
            ("Sec-Fetch-Dest", "document"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Site", "none"),
            ("Sec-Fetch-User", "?1"), ("Priority", "u=0, i"), ("Pragma", "no-cache"),
            ("Cache-Control", "no-cache"), ("Referer", "http://hello.localhost/previous/page"),
            ("Cookie", "session=0123456789abcdef0123456789abcdef; theme=dark; lang=en"),
            ("X-Request-Id", "f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"), ("X-Forwarded-For", "203.0.113.7"),
            ("X-Forwarded-Proto", "http"), ("DNT", "1"),
        ]
        for (name, value) in fields { s += "\(name): \(value)\r\n" }
        return s + "\r\n"
    }()
}

/// A request copied once into memory the parser may write (it decodes chunked bodies in place).
final class RequestBytes {
    let buffer: UnsafeMutableRawBufferPointer
    init(_ text: String) {
        let utf8 = Array(text.utf8)
        buffer = .allocate(byteCount: utf8.count, alignment: 16)
        utf8.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }
}

/// Parses `bytes` once and traps unless it is one whole request (a benchmark of a failing
/// parse would measure the wrong thing).
@inline(__always)
func parseWhole(_ parser: inout HTTPRequestParser, _ bytes: RequestBytes) {
    guard case .complete(let consumed) = parser.parse(bytes.buffer), consumed == bytes.buffer.count else {
        fatalError("sample request did not parse as one whole request")
    }
}

let benchmarks: @Sendable () -> Void = {
    // Per request: the loop body runs 1000 times per measured iteration (`--scale` divides).
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 10_000)

    // The harness's own allocations per measured iteration, to subtract from the others.
    Benchmark("Baseline: empty iteration (x1000)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(benchmark) }
    }

    for (name, text) in [("small GET", SampleRequests.smallGet), ("20 headers", SampleRequests.twentyHeaders)] {
        let bytes = RequestBytes(text)
        Benchmark("HTTP1: parse \(name) (x1000)") { benchmark in
            var parser = HTTPRequestParser()
            parseWhole(&parser, bytes)  // grows `request.headers` to its working capacity
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                parseWhole(&parser, bytes)
                blackHole(parser.request.headers.count)
            }
        }
    }

    // The writer path the JavaScript glue takes: head from a ready header block, then the body.
    Benchmark("HTTP1: write 200 head + body, header block (x1000)") { benchmark in
        let out = OutputBuffer(capacity: 16 * 1024)
        let headerBlock: StaticString = "content-type: text/plain; charset=utf-8\r\n"
        let body: StaticString = "Hello from isolate hello\n"
        HTTPDate.refresh()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            HTTPResponseWriter.writeHead(
                status: 200, headerBlock: UnsafeRawBufferPointer(start: headerBlock.utf8Start, count: headerBlock.utf8CodeUnitCount),
                contentLength: body.utf8CodeUnitCount, keepAlive: true, into: out)
            out.append(body)
            blackHole(out.count)
            out.removeAll()
        }
    }

    // The error path (404/500/503): a whole text response from a String.
    Benchmark("HTTP1: write text response (x1000)") { benchmark in
        let out = OutputBuffer(capacity: 16 * 1024)
        HTTPDate.refresh()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            HTTPResponseWriter.writeText(status: 404, "no tenant for this host or path\n", keepAlive: true, into: out)
            blackHole(out.count)
            out.removeAll()
        }
    }

    // The general writer: headers as (name, value) tuples.
    Benchmark("HTTP1: write head with 2 header tuples (x1000)") { benchmark in
        let out = OutputBuffer(capacity: 16 * 1024)
        let headers = [("content-type", "text/plain; charset=utf-8"), ("cache-control", "no-store")]
        HTTPDate.refresh()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            HTTPResponseWriter.writeHead(status: 200, headers: headers, contentLength: 12, keepAlive: true, into: out)
            blackHole(out.count)
            out.removeAll()
        }
    }
}
