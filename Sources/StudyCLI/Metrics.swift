// Metrics: the text served at GET /__isoring/metrics, in the Prometheus exposition format.
import EventCore
import IOCore
import Isolates

enum Metrics {
    /// Counters of every loop, summed; names are perf-style with units last.
    static func render(_ server: Server) -> String {
        let stats = server.stats
        let engine = server.engineCounters
        var out = ""
        func counter(_ name: String, _ help: String, _ value: UInt64) {
            out += "# HELP isoring_\(name) \(help)\n# TYPE isoring_\(name) counter\nisoring_\(name) \(value)\n"
        }
        counter("requests_total", "Requests answered.", stats.requests)
        counter("responses_2xx_total", "Responses with a 2xx status.", stats.responses2xx)
        counter("responses_4xx_total", "Responses with a 4xx status.", stats.responses4xx)
        counter("responses_5xx_total", "Responses with a 5xx status.", stats.responses5xx)
        counter("connections_accepted_total", "Connections accepted.", stats.connectionsAccepted)
        counter("connections_refused_total", "Connections closed at once for lack of a slot or thread.", stats.connectionsRefused)
        counter("service_seconds_total", "Time spent producing responses (routing and JavaScript), in seconds.", stats.serviceNanos / 1_000_000_000)
        for (name, value) in engine.named {
            counter("engine_\(name)_total", "Engine counter \(name), counted where the syscall is made.", value)
        }
        counter("engine_syscalls_total", "Syscalls the engines made on the I/O path.", engine.syscalls)
        let runtimes = server.loops.compactMap { $0.responder as? IsolateRuntime }
        if !runtimes.isEmpty {
            func sum(_ f: (IsolateStats) -> Int) -> UInt64 { UInt64(runtimes.reduce(0) { $0 + f($1.stats) }) }
            counter("isolate_cold_starts_total", "Tenant isolates created (cold starts).", sum { $0.coldStartsTotal })
            counter("isolate_pooled_cold_starts_total", "Cold starts served from the --prewarm pool.", sum { $0.pooledColdStartsTotal })
            counter("isolate_evictions_total", "Isolates evicted by --max-tenants or --max-tenant-memory-mb.", sum { $0.evictionsTotal })
            counter("isolate_heap_limit_stops_total", "Requests answered 503 for --tenant-heap-mb.", sum { $0.heapLimitStopsTotal })
            out += "# HELP isoring_isolates_live Tenant isolates alive now.\n# TYPE isoring_isolates_live gauge\nisoring_isolates_live \(sum { $0.liveTenants })\n"
            out += "# HELP isoring_isolate_pool_size Prewarmed contexts ready.\n# TYPE isoring_isolate_pool_size gauge\nisoring_isolate_pool_size \(sum { $0.poolSize })\n"
        }
        return out
    }
}
