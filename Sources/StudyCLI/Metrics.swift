// Metrics: the families served at GET /__isoring/metrics, in the Prometheus text format.
import EventCore
import IOCore
import Isolates
import Measurement

enum Metrics {
    /// Every loop's counters summed, the process's rusage and memory, and (with --report,
    /// whose perf counters are open) syscalls and context switches counted by the kernel.
    /// Names are perf-style with units last; rendering is Measurement's PrometheusText.
    static func render(_ server: Server, runtimes: Runtimes? = nil, window: MeasurementWindow? = nil,
                       more: [PrometheusMetric] = []) -> String {
        typealias M = PrometheusMetric
        let stats = server.stats
        var metrics = PrometheusText.isoringMetrics(
            requestsTotal: stats.requests, engine: server.engineCounters,
            syscalls: window?.syscallCounter?.read(), softwareEvents: window?.softwareCounter?.read(),
            rusageSelf: .current(.process), rusageChildren: .current(.children),
            residentBytes: Statm.read()?.residentBytes)
        func counter(_ name: String, _ help: String, _ value: UInt64) {
            metrics.append(M(name: "isoring_\(name)", help: help, kind: .counter, value: Double(value)))
        }
        func gauge(_ name: String, _ help: String, _ value: Int) {
            metrics.append(M(name: "isoring_\(name)", help: help, kind: .gauge, value: Double(value)))
        }
        metrics.append(M(name: "isoring_responses_total", help: "Responses by status class.", kind: .counter, samples: [
            M.Sample(labels: [M.Label("class", "2xx")], value: Double(stats.responses2xx)),
            M.Sample(labels: [M.Label("class", "3xx")], value: Double(stats.responses3xx)),
            M.Sample(labels: [M.Label("class", "4xx")], value: Double(stats.responses4xx)),
            M.Sample(labels: [M.Label("class", "5xx")], value: Double(stats.responses5xx)),
        ]))
        counter("connections_accepted_total", "Connections accepted.", stats.connectionsAccepted)
        counter("connections_refused_total", "Connections closed at once for lack of a slot or thread.", stats.connectionsRefused)
        counter("connections_idle_closed_total", "Connections closed by --idle-timeout-s.", stats.idleTimeouts)
        counter("connections_handed_over_total", "Connections given to a worker process (process and cgi models).", stats.handedOver)
        counter("header_timeouts_total", "Request heads answered 408 by --header-timeout-s.", stats.headerTimeouts)
        counter("body_timeouts_total", "Request bodies answered 408 by --body-timeout-s.", stats.bodyTimeouts)
        counter("send_timeouts_total", "Connections dropped by --send-timeout-s (the client read nothing).", stats.sendTimeouts)
        metrics.append(M(name: "isoring_service_seconds_total", help: "Time spent producing responses (routing and JavaScript).",
                         kind: .counter, value: Double(stats.serviceNanos) / 1e9))
        counter("engine_syscalls_total", "Syscalls the engines made on the I/O path, counted where they are made.",
                server.engineCounters.syscalls)
        let isolateStats = runtimes?.stats ?? []
        if !isolateStats.isEmpty {
            func sum(_ f: (IsolateStats) -> Int) -> Int { isolateStats.reduce(0) { $0 + f($1) } }
            counter("isolate_cold_starts_total", "Tenant isolates created (cold starts).", UInt64(sum { $0.coldStartsTotal }))
            counter("isolate_pooled_cold_starts_total", "Cold starts served from the --prewarm pool.", UInt64(sum { $0.pooledColdStartsTotal }))
            counter("isolate_evictions_total", "Isolates evicted by --max-tenants or --max-tenant-memory-mb.", UInt64(sum { $0.evictionsTotal }))
            counter("isolate_heap_limit_stops_total", "Requests answered 503 for --tenant-heap-mb.", UInt64(sum { $0.heapLimitStopsTotal }))
            counter("isolate_penalty_box_entries_total", "Times a tenant was boxed for repeated CPU-limit stops.", UInt64(sum { $0.penaltyBoxEntriesTotal }))
            counter("isolate_penalty_box_refusals_total", "Requests answered 503 from the penalty box without running.", UInt64(sum { $0.penaltyBoxRefusalsTotal }))
            counter("isolate_penalty_box_hold_overflow_total", "Penalty-box refusals answered at once with connection: close because --penalty-box-max-held were held.", UInt64(sum { $0.penaltyBoxHoldOverflowTotal }))
            gauge("isolate_penalty_box_held", "Penalty-box refusals held back now (--penalty-box-hold-ms; updated each second).", sum { $0.penaltyBoxHeld })
            counter("isolate_start_failures_total", "Isolates that failed to come up (each cost its request a 503).", UInt64(sum { $0.isolateStartFailuresTotal }))
            counter("isolate_map_limit_refusals_total", "New tenants answered 503 because another context would come near vm.max_map_count.", UInt64(sum { $0.mapLimitRefusalsTotal }))
            gauge("isolates_live", "Tenant isolates alive now.", sum { $0.liveTenants })
            gauge("isolate_pool_size", "Prewarmed contexts ready.", sum { $0.poolSize })
        }
        return PrometheusText.render(metrics + more)
    }
}
