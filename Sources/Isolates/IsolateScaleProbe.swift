// IsolateScaleProbe: serves one request to each of N generated tenants in-process and reports
// cold-start latency and memory per tenant (the figures behind `isoring scale-probe`).
import Platform
import Glibc
import HTTP1
import Tenants

/// What one probe run measured. Latencies are over the N first requests (each a cold start);
/// memory is the process RSS (/proc/self/statm) and the sum of JSC's per-tenant heap readings.
public struct ScaleResult: Sendable {
    /// One context group for all tenants (`--isolate-group per-loop`), or one per tenant.
    public var sharedGroup = false
    public var tenants: Int
    public var prewarm: Int
    /// Responses with status 200 (should equal `tenants`).
    public var okCount: Int
    /// RSS before the runtime exists, once it is ready (pool filled), and after N tenants.
    public var rssStartBytes: Int
    public var rssReadyBytes: Int
    public var rssEndBytes: Int
    /// Time to fill the prewarm pool at start (0 without one).
    public var poolFillNanos: Int
    /// Wall time of `respond` for each tenant's first request: arrival to response written.
    public var coldStartP50Nanos: Int
    public var coldStartP99Nanos: Int
    /// Arrival to handler entry: context (or pool take), prelude, script evaluation.
    public var toHandlerP50Nanos: Int
    public var toHandlerP99Nanos: Int
    /// Thread CPU time of the same (ColdStart.toHandlerCPUNanos, firstCallCPUNanos), medians.
    public var toHandlerCPUP50Nanos = 0
    public var firstCallCPUP50Nanos = 0
    /// Medians of each ColdStart phase.
    public var contextCreateP50Nanos: Int
    /// The JSContextGroupCreate part of `contextCreateP50Nanos` (median of its own).
    public var groupCreateP50Nanos = 0
    public var preludeInstallP50Nanos: Int
    public var scriptEvaluateP50Nanos: Int
    public var firstCallP50Nanos: Int
    /// Cold starts served from the pool.
    public var pooledCount: Int
    /// Sum over live tenants of JSC's heapCapacity and heapSize, read after the run.
    public var heapCapacityTotalBytes: Int
    public var heapSizeTotalBytes: Int
    public var liveTenants: Int
    public var evictions: Int

    /// RSS growth per tenant served, from ready to end.
    public var rssPerTenantBytes: Int { tenants == 0 ? 0 : (rssEndBytes - rssReadyBytes) / tenants }

    /// A Markdown table header matching `markdownRow`.
    public static let markdownHeader = """
    | group | tenants | prewarm | ok | cold p50 µs | cold p99 µs | to-handler p50 µs | to-handler p99 µs | to-handler CPU p50 µs | first call CPU p50 µs | create p50 µs | of which group p50 µs | prelude p50 µs | script p50 µs | first call p50 µs | RSS ready MB | RSS end MB | RSS/tenant KB | heap capacity/tenant KB |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
    """

    public var markdownRow: String {
        func us(_ n: Int) -> String { fixed(Double(n) / 1000, 1) }
        func mb(_ n: Int) -> String { fixed(Double(n) / 1_048_576, 1) }
        func kb(_ n: Int) -> String { fixed(Double(n) / 1024, 0) }
        let heapPer = liveTenants == 0 ? 0 : heapCapacityTotalBytes / liveTenants
        return "| \(sharedGroup ? "per-loop" : "per-tenant") | \(tenants) | \(prewarm) | \(okCount) | \(us(coldStartP50Nanos)) | "
            + "\(us(coldStartP99Nanos)) | \(us(toHandlerP50Nanos)) | \(us(toHandlerP99Nanos)) | \(us(toHandlerCPUP50Nanos)) | "
            + "\(us(firstCallCPUP50Nanos)) | \(us(contextCreateP50Nanos)) | "
            + "\(us(groupCreateP50Nanos)) | "
            + "\(us(preludeInstallP50Nanos)) | \(us(scriptEvaluateP50Nanos)) | \(us(firstCallP50Nanos)) | "
            + "\(mb(rssReadyBytes)) | \(mb(rssEndBytes)) | \(kb(rssPerTenantBytes)) | \(kb(heapPer)) |"
    }
}

/// Generates N small module-form tenants in a fresh temporary folder, creates an
/// IsolateRuntime over it and sends each tenant one GET through `respond` (no sockets), so
/// every request is a cold start. Not for use while a server runs in the same process: the RSS
/// figures are the whole process's.
public struct IsolateScaleProbe {
    public var options: IsolateOptions

    public init(options: IsolateOptions = IsolateOptions()) { self.options = options }

    public func run(tenants n: Int) throws -> ScaleResult {
        let dir = try Self.makeTenants(n)
        defer { Self.removeTenants(dir, n) }
        var result = ScaleResult(tenants: n, prewarm: options.prewarm, okCount: 0, rssStartBytes: residentBytes(),
                                 rssReadyBytes: 0, rssEndBytes: 0, poolFillNanos: 0, coldStartP50Nanos: 0,
                                 coldStartP99Nanos: 0, toHandlerP50Nanos: 0, toHandlerP99Nanos: 0,
                                 contextCreateP50Nanos: 0, preludeInstallP50Nanos: 0, scriptEvaluateP50Nanos: 0,
                                 firstCallP50Nanos: 0, pooledCount: 0, heapCapacityTotalBytes: 0,
                                 heapSizeTotalBytes: 0, liveTenants: 0, evictions: 0)
        let t0 = Int(monotonicNanos())
        let runtime = try IsolateRuntime(options: options, tenants: .directory(dir), logger: .lines { _ in })
        result.poolFillNanos = options.prewarm > 0 ? Int(monotonicNanos()) - t0 : 0
        result.rssReadyBytes = residentBytes()

        var wall: [Int] = []
        wall.reserveCapacity(n)
        let out = OutputBuffer()
        var bytes: [UInt8] = []
        for i in 0..<n {
            var request = HTTPRequest()
            bytes.removeAll(keepingCapacity: true)
            func add(_ s: String) -> Range<Int> {
                let start = bytes.count
                bytes.append(contentsOf: s.utf8)
                return start..<bytes.count
            }
            request.method = add("GET")
            request.target = add("/\(Self.name(i))/")
            request.host = add("127.0.0.1:8080")
            out.removeAll()
            let t = Int(monotonicNanos())
            let status = bytes.withUnsafeBytes { runtime.respond(to: request, in: $0, keepAlive: true, into: out) }
            wall.append(Int(monotonicNanos()) - t)
            if status == 200 { result.okCount += 1 }
        }
        result.rssEndBytes = residentBytes()

        let starts = runtime.coldStarts
        result.pooledCount = starts.reduce(0) { $0 + ($1.pooled ? 1 : 0) }
        result.coldStartP50Nanos = percentile(wall, 0.50)
        result.coldStartP99Nanos = percentile(wall, 0.99)
        let toHandler = starts.map { $0.contextCreateNanos + $0.preludeInstallNanos + $0.scriptEvaluateNanos }
        result.toHandlerP50Nanos = percentile(toHandler, 0.50)
        result.toHandlerP99Nanos = percentile(toHandler, 0.99)
        result.contextCreateP50Nanos = percentile(starts.map(\.contextCreateNanos), 0.50)
        result.groupCreateP50Nanos = percentile(starts.map(\.groupCreateNanos), 0.50)
        result.toHandlerCPUP50Nanos = percentile(starts.map(\.toHandlerCPUNanos), 0.50)
        result.firstCallCPUP50Nanos = percentile(starts.map(\.firstCallCPUNanos), 0.50)
        result.sharedGroup = options.sharedGroup
        result.preludeInstallP50Nanos = percentile(starts.map(\.preludeInstallNanos), 0.50)
        result.scriptEvaluateP50Nanos = percentile(starts.map(\.scriptEvaluateNanos), 0.50)
        result.firstCallP50Nanos = percentile(starts.map(\.firstCallNanos), 0.50)
        // With one group for all tenants every reading is the same, shared heap (and walks all
        // of it): read it once.
        for (_, m) in runtime.memoryUsage(first: options.sharedGroup ? 1 : .max) {
            result.heapCapacityTotalBytes += m.heapCapacityBytes
            result.heapSizeTotalBytes += m.heapSizeBytes
        }
        result.liveTenants = runtime.tenantCount
        result.evictions = runtime.stats.evictionsTotal
        return result
    }

    static func name(_ i: Int) -> String {
        var digits = String(i)
        while digits.utf8.count < 5 { digits = "0" + digits }
        return "t" + digits
    }

    /// The tenant each generated file holds: module form, one small synchronous handler.
    static func script(_ i: Int) -> String {
        "export default {\n  fetch(request, env, ctx) {\n    return new Response(\"hello from tenant \(i)\\n\");\n  },\n};\n"
    }

    static func makeTenants(_ n: Int) throws -> String {
        var template = Array("/tmp/isoring-scale-XXXXXX".utf8CString)
        guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ScriptLoadError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        let dir = String(cString: p)
        for i in 0..<n {
            let path = "\(dir)/\(name(i)).js"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ScriptLoadError("cannot create \(path): \(String(cString: strerror(errno)))") }
            var text = script(i)
            let ok = text.withUTF8 { write(fd, $0.baseAddress, $0.count) == $0.count }
            close(fd)
            if !ok { throw ScriptLoadError("cannot write \(path)") }
        }
        return dir
    }

    static func removeTenants(_ dir: String, _ n: Int) {
        for i in 0..<n { unlink("\(dir)/\(name(i)).js") }
        rmdir(dir)
    }
}

/// Resident set size of this process: the second field of /proc/self/statm, in pages.
public func residentBytes() -> Int {
    let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buf = [UInt8](repeating: 0, count: 128)
    let got = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard got > 0 else { return 0 }
    let fields = buf[0..<got].split(separator: 0x20)
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// The value at fraction `q` of the sorted samples (nearest rank); 0 when empty.
func percentile(_ samples: [Int], _ q: Double) -> Int {
    guard !samples.isEmpty else { return 0 }
    let sorted = samples.sorted()
    let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[rank]
}

func fixed(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let r = (value * scale).rounded() / scale
    if places == 0 { return String(Int(r)) }
    let whole = Int(r)
    var frac = String(Int(((r - Double(whole)) * scale).rounded().magnitude))
    while frac.utf8.count < places { frac = "0" + frac }
    return "\(whole).\(frac)"
}
