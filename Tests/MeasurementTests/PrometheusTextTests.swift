// PrometheusTextTests: the exposition format, escaping and the standard families.
import IOCore
import Testing
@testable import Measurement

struct PrometheusTextTests {
    @Test func rendersHelpTypeAndSamples() {
        let text = PrometheusText.render([
            PrometheusMetric(name: "isoring_requests_total", help: "Requests.", kind: .counter, value: 42),
            PrometheusMetric(name: "isoring_resident_memory_bytes", help: "RSS.", kind: .gauge, value: 1.5),
        ])
        #expect(text == """
            # HELP isoring_requests_total Requests.
            # TYPE isoring_requests_total counter
            isoring_requests_total 42
            # HELP isoring_resident_memory_bytes RSS.
            # TYPE isoring_resident_memory_bytes gauge
            isoring_resident_memory_bytes 1.5

            """)
    }

    @Test func escapesLabelValuesAndHelp() {
        let metric = PrometheusMetric(name: "x_total", help: "a\\b\nc", kind: .counter,
                                      samples: [.init(labels: [.init("k", "q\"\\\n")], value: 1)])
        let text = PrometheusText.render([metric])
        #expect(text.contains("# HELP x_total a\\\\b\\nc\n"))
        #expect(text.contains("x_total{k=\"q\\\"\\\\\\n\"} 1\n"))
    }

    @Test func formatsSpecialValues() {
        #expect(PrometheusText.format(.nan) == "NaN")
        #expect(PrometheusText.format(.infinity) == "+Inf")
        #expect(PrometheusText.format(-.infinity) == "-Inf")
        #expect(PrometheusText.format(3) == "3")
        #expect(PrometheusText.format(0.25) == "0.25")
    }

    @Test func validatesMetricNames() {
        #expect(PrometheusText.isValidName("isoring_syscalls_total"))
        #expect(!PrometheusText.isValidName("9lives"))
        #expect(!PrometheusText.isValidName("has-dash"))
    }

    @Test func standardFamiliesIncludeSyscallsByNameWithOtherAndSkipMissingSources() {
        var engine = EngineCounters()
        engine.enterCalls = 5
        let metrics = PrometheusText.isoringMetrics(
            requestsTotal: 10, engine: engine,
            syscalls: SyscallCounts(total: 100, byName: ["read": 30, "write": 20]), softwareEvents: nil,
            rusageSelf: ResourceUsage(userMicros: 2_000_000), rusageChildren: ResourceUsage(), residentBytes: 4096)
        let text = PrometheusText.render(metrics)
        #expect(text.contains("isoring_syscalls_total 100\n"))
        #expect(text.contains("isoring_syscalls_by_name_total{syscall=\"other\"} 50\n"))
        #expect(text.contains("isoring_requests_total 10\n"))
        #expect(text.contains("isoring_cpu_user_seconds_total{scope=\"self\"} 2\n"))
        #expect(text.contains("isoring_engine_io_uring_enter_calls_total 5\n"))
        #expect(!text.contains("isoring_context_switches_total"))  // source missing: absent, not 0
        #expect(metrics.allSatisfy { PrometheusText.isValidName($0.name) })
        #expect(metrics.filter { $0.kind == .counter }.allSatisfy { $0.name.hasSuffix("_total") })
    }
}
