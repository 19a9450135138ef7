// LoadGenerator: runs the load threads over a shared clock and merges what they measured.
import Platform
import IOCore
import Measurement
#if canImport(Glibc)
import Glibc
#endif

/// Runs one load: `threads` pthreads, each with its own engine (from `makeEngine`, called on
/// that thread) and its share of the connections, rate and request budget.
public final class LoadGenerator {
    public let options: LoadOptions
    let makeEngine: @Sendable () throws -> any IOEngine
    /// Called on the calling thread when measuring starts (after warm-up) and when it ends,
    /// e.g. to drive the server's measurement window.
    public var onMeasureStart: (() -> Void)?
    public var onMeasureEnd: (() -> Void)?

    public init(options: LoadOptions, makeEngine: @escaping @Sendable () throws -> any IOEngine) {
        self.options = options
        self.makeEngine = makeEngine
    }

    /// Runs the load and returns the merged result (settings are filled by the caller).
    public func run(settings: LoadSettings) throws -> LoadReport {
        let templates = RequestTemplates(options: options)
        // Without warm-up the first request is measured: open the window before any is sent.
        let startsAtOnce = options.warmupNanos == 0
        if startsAtOnce { onMeasureStart?() }
        let start = monotonicNanos() + 20_000_000
        let measureFrom = start + options.warmupNanos
        let clock = RunClock(startNanos: start, measureFromNanos: measureFrom,
                             endNanos: options.durationNanos.map { measureFrom + $0 })
        let threads = max(1, min(options.threads, options.connections))
        var opts = options
        opts.threads = threads
        let box = ResultsBox(count: threads)
        var handles: [pthread_t] = []
        var first = 0
        for t in 0..<threads {
            let firstConnection = first
            first += opts.connections(ofThread: t)
            let make = makeEngine
            let frozen = opts
            handles.append(try spawnThread(name: "isoring-load-\(t)") {
                do {
                    let engine = try make()
                    let worker = try LoadWorker(options: frozen, thread: t, engine: engine, templates: templates,
                                                clock: clock, firstGlobalConnection: firstConnection)
                    box.set(t, worker.run())
                } catch {
                    var failed = WorkerResult()
                    failed.failure = "\(error)"
                    box.set(t, failed)
                }
            })
        }
        sleepUntil(measureFrom)
        if !startsAtOnce { onMeasureStart?() }
        if let end = clock.endNanos {
            sleepUntil(end)
            onMeasureEnd?()
        }
        for h in handles { pthread_join(h, nil) }
        let measuredEnd = clock.endNanos ?? monotonicNanos()
        if clock.endNanos == nil { onMeasureEnd?() }

        var merged = WorkerResult()
        var failures: [String] = []
        for r in box.results {
            merged.histogram.merge(r.histogram)
            merged.measured += r.measured
            for i in 0..<6 { merged.statusClasses[i] += r.statusClasses[i] }
            merged.errors = merged.errors + r.errors
            merged.bytesReceived += r.bytesReceived
            merged.unsentDue += r.unsentDue
            if let f = r.failure { failures.append(f) }
        }
        if failures.count == threads { throw LoadError(message: "every load thread failed: \(failures[0])") }
        var statusCounts: [String: UInt64] = [:]
        for i in 1...5 where merged.statusClasses[i] > 0 { statusCounts["\(i)xx"] = merged.statusClasses[i] }
        if merged.statusClasses[0] > 0 { statusCounts["other"] = merged.statusClasses[0] }
        let non2xx = merged.measured - merged.statusClasses[2]
        // Requests count as measured when they start at or after measureFrom, so that is where
        // the measured time starts too; not when onMeasureStart returns (a server busy spawning
        // processes can take longer to answer the window-start call than the whole run).
        let seconds = Double(max(measuredEnd - measureFrom, 1)) / 1e9
        return LoadReport(settings: settings, measuredSeconds: seconds, requests: merged.measured,
                          latency: merged.histogram.summary,
                          latencyPercentilesNanos: merged.histogram.chartedPercentilesNanos, non2xx: non2xx,
                          statusCounts: statusCounts, socketErrors: merged.errors,
                          bytesReceived: merged.bytesReceived, unsentDue: merged.unsentDue)
    }
}

public struct LoadError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Each thread writes its own slot once; the caller reads after joining.
final class ResultsBox: @unchecked Sendable {
    var results: [WorkerResult]
    let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init(count: Int) {
        results = Array(repeating: WorkerResult(), count: count)
        pthread_mutex_init(lock, nil)
    }
    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }
    func set(_ i: Int, _ r: WorkerResult) {
        pthread_mutex_lock(lock)
        results[i] = r
        pthread_mutex_unlock(lock)
    }
}

func sleepUntil(_ nanos: Int64) {
    while true {
        let left = nanos - monotonicNanos()
        if left <= 0 { return }
        var ts = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
        nanosleep(&ts, nil)
    }
}
