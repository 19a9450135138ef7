// `isoring load`: the HTTP/1.1 load generator: closed or open loop, tenant mixes, wrk-style output and JSON.
import ArgumentParser
import CLinux
import EngineEpoll
import EngineURing
import Foundation
import IOCore
import LoadGen
import Measurement
#if canImport(Glibc)
import Glibc
#endif

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load an HTTP/1.1 server: closed loop (connections x pipeline) or open loop at a constant --rate.",
        discussion: """
        Open loop (--rate) measures each request's latency from the time it was due, so a stalled \
        server is not hidden by the client waiting (no coordinated omission, as wrk2). Only loopback \
        targets unless --allow-remote names the host. With --window the run starts and stops the \
        server's measurement window (isoring serve --report) around the measured part.
        """)

    @Argument(help: "Target URL, e.g. http://127.0.0.1:8080/")
    var url: String

    @Option(name: .shortAndLong, help: "Connections in total.")
    var connections = 16

    @Option(help: "Requests in flight per connection (1 = no pipelining).")
    var pipeline = 1

    @Option(help: "Open loop: requests per second over all connections (omit for a closed loop).")
    var rate: Double?

    @Option(name: .shortAndLong, help: "Measured length, e.g. 10s, 500ms, 2m (default 10s unless --requests is given).")
    var duration: String?

    @Option(help: "Stop after this many responses.")
    var requests: UInt64?

    @Option(help: "Warm-up before measuring, e.g. 1s (default 1s with --duration, 0 with --requests).")
    var warmup: String?

    @Option(help: "Tenants in the mix: requests carry Host: t{K}.localhost with K in 0..<N (0 = the target's host).")
    var tenants = 0

    @Option(help: "Zipf exponent of the tenant mix (0 = uniform).")
    var zipf = 1.0

    @Option(help: "Tenant order: zipf, or sweep (tenant 0, 1, 2, ... each once per N requests).")
    var tenantOrder: String = "zipf"

    @Option(name: .shortAndLong, help: "Load threads, each with its own engine.")
    var threads = 1

    @Option(help: "Client I/O engine: epoll (default, so the client's own cost is the same for every server mode) or uring.")
    var io: EngineKind = .epoll

    @Option(help: "Write the result as JSON to this file.")
    var json: String?

    @Option(help: "Pin the load threads to this CPU.")
    var cpu: Int?

    @Flag(help: "Drive the server's measurement window: POST /__isoring/window/start and /stop around the measured part.")
    var window = false

    @Option(help: "Allow a non-loopback target host (repeat for more).")
    var allowRemote: [String] = []

    func validate() throws {
        guard let t = TargetURL(url) else { throw ValidationError("URL must look like http://127.0.0.1:8080/path, got \(url)") }
        if let why = TargetPolicy.refusal(host: t.host, allowed: allowRemote) { throw ValidationError(why) }
        guard connections >= 1, pipeline >= 1, threads >= 1 else { throw ValidationError("--connections, --pipeline and --threads must be at least 1") }
        if let r = rate, r <= 0 { throw ValidationError("--rate must be positive") }
        guard tenants >= 0, zipf >= 0 else { throw ValidationError("--tenants and --zipf must not be negative") }
        guard TenantOrder(rawValue: tenantOrder) != nil else { throw ValidationError("--tenant-order must be zipf or sweep") }
        guard io != .blocking else { throw ValidationError("--io must be epoll or uring (the load generator drives many connections per thread)") }
        if let d = duration, Self.nanos(d) == nil { throw ValidationError("--duration: cannot read \(d) (use 10s, 500ms, 2m)") }
        if let w = warmup, Self.nanos(w) == nil { throw ValidationError("--warmup: cannot read \(w)") }
    }

    /// "10s", "500ms", "2m", "1.5s", "250us" -> nanoseconds.
    static func nanos(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let v = Double(text.dropLast(suffix.count)), v >= 0 else { return nil }
            return Int64(v * scale)
        }
        return Double(text).map { Int64($0 * 1e9) }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let target = TargetURL(url)!
        var o = LoadOptions()
        o.host = target.host == "localhost" ? "127.0.0.1" : target.host
        o.port = target.port
        o.path = target.path
        o.connections = connections
        o.pipeline = pipeline
        o.rate = rate
        o.requests = requests
        o.durationNanos = duration.flatMap(Self.nanos) ?? (requests == nil ? 10_000_000_000 : nil)
        o.warmupNanos = warmup.flatMap(Self.nanos) ?? (requests == nil ? 1_000_000_000 : 0)
        o.tenants = tenants
        o.zipfExponent = zipf
        o.tenantOrder = TenantOrder(rawValue: tenantOrder)!
        o.threads = min(threads, connections)
        let settings = LoadSettings(target: url, model: rate == nil ? "closed" : "open", connections: connections, pipeline: pipeline,
                                    threads: o.threads, rate: rate, durationSeconds: o.durationNanos.map { Double($0) / 1e9 },
                                    requestLimit: requests, warmupSeconds: Double(o.warmupNanos) / 1e9, tenants: tenants,
                                    zipfExponent: zipf, tenantOrder: tenantOrder, io: io.rawValue, cpu: cpu)
        let useURing = io == .uring
        let pinCPU = cpu
        let generator = LoadGenerator(options: o) {
            if let c = pinCPU { Self.pin(to: c) }
            if useURing { return try URingEngine(options: URingOptions()) }
            var eo = EpollOptions()
            eo.bufferCount = 256
            eo.bufferSize = 16 * 1024
            return try EpollEngine(options: eo)
        }
        var serverRecord: ServerWindowRecord?
        var controlFailure: String?
        if window {
            generator.onMeasureStart = {
                do {
                    let r = try ControlClient.request(host: o.host, port: o.port, method: "POST", path: "/__isoring/window/start")
                    if r.status != 200 { controlFailure = "window/start answered \(r.status)" }
                } catch { controlFailure = "\(error)" }
            }
            generator.onMeasureEnd = {
                do {
                    let r = try ControlClient.request(host: o.host, port: o.port, method: "POST", path: "/__isoring/window/stop")
                    if r.status == 200 {
                        serverRecord = try JSONDecoder().decode(ServerWindowRecord.self, from: Data(r.body))
                    } else { controlFailure = "window/stop answered \(r.status)" }
                } catch { controlFailure = "\(error)" }
            }
        }
        let what = rate.map { "open loop at \(Int($0)) req/s" } ?? "closed loop"
        print("Running \(o.durationNanos.map { String(format: "%.1fs", Double($0) / 1e9) } ?? "\(requests!) requests") test @ \(url) (\(what))")
        print("  \(o.threads) threads and \(connections) connections, pipeline \(pipeline)\(tenants > 0 ? ", \(tenants) tenants (\(tenantOrder) s=\(zipf))" : "")")
        var report = try generator.run(settings: settings)
        report.server = serverRecord
        print(Self.wrkText(report))
        if let f = controlFailure { print("  Server window: not measured (\(f))") }
        if let path = json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: path))
        }
    }

    static func pin(to cpu: Int) {
        _ = isoring_pin_to_cpu(Int32(cpu))
    }

    /// wrk's layout: latency distribution, requests/sec, errors.
    static func wrkText(_ r: LoadReport) -> String {
        func ms(_ n: UInt64) -> String { Self.duration(Double(n)) }
        var s = "  Latency (from \(r.settings.model == "open" ? "due time" : "send time"))\n"
        s += "    min \(ms(r.latency.minNanos))  mean \(Self.duration(r.latency.meanNanos))  max \(ms(r.latency.maxNanos))\n"
        s += "  Latency Distribution (HdrHistogram)\n"
        for p in LatencyHistogram.chartedPercentiles {
            let key = LatencyHistogram.percentileKey(p)
            s += "   " + (key + "%").padding(toLength: 8, withPad: " ", startingAt: 0) + ms(r.latencyPercentilesNanos[key] ?? 0) + "\n"
        }
        s += "  \(r.requests) requests in \(String(format: "%.2f", r.measuredSeconds))s, \(String(format: "%.2f", Double(r.bytesReceived) / 1_048_576))MB read\n"
        let e = r.socketErrors
        if e.total > 0 {
            s += "  Socket errors: connect \(e.connect), read \(e.read), write \(e.write), framing \(e.framing), closed \(e.closedWithPending)\n"
        }
        if r.non2xx > 0 { s += "  Non-2xx or 3xx responses: \(r.non2xx)\n" }
        if r.unsentDue > 0 { s += "  Due but never sent (server fell behind the rate): \(r.unsentDue)\n" }
        s += "Requests/sec: \(String(format: "%10.2f", r.requestsPerSecond))"
        if let w = r.server?.window {
            s += "\nServer window: \(w.requests) requests"
            if let v = w.perRequest.syscalls { s += String(format: ", %.2f syscalls/req", v) }
            if let v = w.perRequest.contextSwitches { s += String(format: ", %.3f ctx switches/req", v) }
            if let v = w.kernelShareOfCPU { s += String(format: ", kernel %.0f%% of CPU", v * 100) }
        }
        return s
    }

    static func duration(_ nanos: Double) -> String {
        if nanos >= 1e9 { return String(format: "%.2fs", nanos / 1e9) }
        if nanos >= 1e6 { return String(format: "%.2fms", nanos / 1e6) }
        return String(format: "%.2fus", nanos / 1e3)
    }
}
