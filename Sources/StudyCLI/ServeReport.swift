// ServeReport: `isoring serve --report DIR`: the measurement window, its control endpoints and report files.
import EventCore
import Foundation
import Isolates
import Measurement
#if canImport(Glibc)
import Glibc
#endif

/// Owns the server's measurement window. Created before `server.start()` so the perf counters
/// (inherited only by threads created after they open) reach every loop thread. A window
/// starts when the server listens, or on `POST /__isoring/window/start`; it ends on
/// `POST /__isoring/window/stop` (the answer is the report JSON), on SIGUSR1 (a report, then
/// a new window) or when the server stops. Each report is written to DIR/window-N.json.
final class ServeReport: @unchecked Sendable {
    let directory: String
    let mode: [String: String]
    let environment: Environment
    weak var server: Server?
    private let lock = NSLock()
    private var window: MeasurementWindow
    private var running = false
    private var index = 0
    private var coldStarts: [ColdStartSample] = []
    private var coldStartMark = 0
    private var rssStart: UInt64?
    private var serviceNanosStart: UInt64 = 0
    private var responsesStart: [UInt64] = []

    /// Collects the environment first (it runs pkg-config, whose syscalls must not land in a
    /// window), then opens the counters.
    init(directory: String, mode: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.mode = mode
        environment = Environment.collect()
        window = MeasurementWindow.open()
        for (source, why) in window.unavailable { Log.logger.warning("report: \(source) is not measured: \(why)") }
    }

    /// The counters, read under the lock (the metrics endpoint reads them from loop threads
    /// while a window may be starting or ending on another).
    var counters: MeasurementWindow {
        lock.lock()
        defer { lock.unlock() }
        return window
    }

    /// Counts the CPU time of worker processes that are still alive (process and cgi models).
    func countChildren(_ pids: @escaping @Sendable () -> [Int32]) {
        window.liveChildren = pids
    }

    /// Process and cgi models: every worker start so far (tenant, spawn-to-ready nanoseconds),
    /// reported as cold starts, and the live workers' summed PSS in KiB with their count.
    private var processStarts: (@Sendable () -> [(tenant: String, nanos: Int64)])?
    private var processMark = 0
    private var workerMemory: (@Sendable () -> (count: Int, pssKilobytes: UInt64))?

    func watchWorkers(starts: @escaping @Sendable () -> [(tenant: String, nanos: Int64)],
                      memory: @escaping @Sendable () -> (count: Int, pssKilobytes: UInt64)) {
        processStarts = starts
        workerMemory = memory
    }

    /// Installs the control endpoint; call before `server.start()`.
    func attach(_ server: Server) {
        self.server = server
        server.controlEndpoint = { [weak self] target, method in self?.control(target: target, method: method) }
    }

    /// Records each isolate cold start (called on the loop thread that made it).
    func watch(_ runtime: IsolateRuntime) {
        runtime.onColdStart = { [weak self] c in
            guard let self else { return }
            let sample = ColdStartSample(tenant: c.tenant, createNanos: c.contextCreateNanos,
                                         preludeNanos: c.preludeInstallNanos, scriptNanos: c.scriptEvaluateNanos,
                                         firstCallNanos: c.firstCallNanos)
            self.lock.lock()
            self.coldStarts.append(sample)
            self.lock.unlock()
        }
    }

    func control(target: String, method: String) -> ControlAnswer? {
        let path = target.split(separator: "?").first.map(String.init) ?? target
        switch (path, method) {
        case ("/__isoring/window/start", "POST"):
            startWindow()
            return ControlAnswer(status: 200, body: "{\"window\":\"started\",\"index\":\(index)}\n")
        case ("/__isoring/window/stop", "POST"):
            guard let record = stopWindow(trigger: "control") else {
                return ControlAnswer(status: 409, body: "{\"error\":\"no window is running\"}\n")
            }
            return ControlAnswer(status: 200, body: Self.json(record))
        case ("/__isoring/window/start", _), ("/__isoring/window/stop", _):
            return ControlAnswer(status: 405, body: "{\"error\":\"use POST\"}\n")
        default:
            return nil
        }
    }

    /// Starts a window (restarting one that runs).
    func startWindow() {
        lock.lock()
        defer { lock.unlock() }
        let stats = server?.stats ?? LoopStats()
        window.start(requestsCompleted: stats.requests, engine: server?.engineCounters ?? .init())
        running = true
        coldStartMark = coldStarts.count
        processMark = processStarts?().count ?? 0
        rssStart = Statm.read()?.residentBytes
        serviceNanosStart = stats.serviceNanos
        responsesStart = [stats.responses2xx, stats.responses3xx, stats.responses4xx, stats.responses5xx]
    }

    /// Ends the running window and writes its report; nil when none runs.
    @discardableResult
    func stopWindow(trigger: String) -> ServerWindowRecord? {
        lock.lock()
        guard running else {
            lock.unlock()
            return nil
        }
        let stats = server?.stats ?? LoopStats()
        let report = window.finish(requestsCompleted: stats.requests, engine: server?.engineCounters ?? .init())
        running = false
        index += 1
        var fresh = Array(coldStarts[coldStartMark...])
        if let starts = processStarts?() {
            // A worker's spawn to ready is its whole cold start: recorded as the create phase.
            fresh += starts.dropFirst(processMark).map {
                ColdStartSample(tenant: $0.tenant, createNanos: Int($0.nanos), preludeNanos: 0, scriptNanos: 0, firstCallNanos: 0)
            }
        }
        let workers = workerMemory?()
        let rssEnd = Statm.read()?.residentBytes
        let pss = SmapsRollup.read()?.pssKilobytes
        let now = [stats.responses2xx, stats.responses3xx, stats.responses4xx, stats.responses5xx]
        var responses: [String: UInt64] = [:]
        for (i, name) in ["2xx", "3xx", "4xx", "5xx"].enumerated() {
            let before = i < responsesStart.count ? responsesStart[i] : 0
            responses[name] = now[i] > before ? now[i] - before : 0
        }
        let service = stats.serviceNanos > serviceNanosStart ? stats.serviceNanos - serviceNanosStart : 0
        var memory = WindowMemory(rssStartBytes: rssStart, rssEndBytes: rssEnd, pssEndKilobytes: pss, newTenants: fresh.count)
        memory.workers = workers?.count
        memory.workerPSSKilobytes = workers?.pssKilobytes
        let record = ServerWindowRecord(
            index: index, trigger: trigger, pid: getpid(), mode: mode, environment: environment, window: report,
            serviceMicrosPerRequest: report.requests > 0 ? Double(service) / 1000 / Double(report.requests) : nil,
            responses: responses, coldStarts: ColdStartSummary(fresh), memory: memory,
            notes: window.notes + ["the window's requests include the control requests that start and stop it"])
        let n = index
        lock.unlock()
        let path = "\(directory)/window-\(n).json"
        if FileManager.default.createFile(atPath: path, contents: Data(Self.json(record).utf8)) {
            Log.logger.notice("report: wrote \(path) (\(report.requests) requests in \(String(format: "%.2f", report.durationSeconds)) s)")
        } else {
            Log.logger.error("report: cannot write \(path)")
        }
        return record
    }

    /// SIGUSR1: report the window so far and start a new one.
    func rotate() {
        stopWindow(trigger: "signal")
        startWindow()
    }

    static func json(_ record: ServerWindowRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(record) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension Serve {
    /// The flags that define this server's mode, as a report prints them.
    func reportMode(_ engines: EngineFactory) -> [String: String] {
        var m = ["io": io.rawValue, "isolation": isolation.rawValue, "threads": String(threads), "pin": String(pin),
                 "engine": engines.describe, "tenants": tenants ?? "built-in",
                 "cpuLimitMs": String(cpuLimitMs), "cpuLimitClock": cpuLimitClock.rawValue,
                 "isolateGroup": isolateFlags.isolateGroup.rawValue, "prewarm": String(isolateFlags.prewarm)]
        if io == .uring {
            m["sqpoll"] = String(uring.sqpoll)
            m["deferTaskrun"] = String(uring.deferTaskrun)
            m["coopTaskrun"] = uring.coopTaskrun?.rawValue ?? "default"
            m["fixedFiles"] = String(uring.fixedFiles)
            m["multishot"] = uring.multishot.rawValue
            m["bufRing"] = uring.bufRing.rawValue
            m["sendZc"] = String(uring.sendZc)
            m["batch"] = String(uring.batch)
        }
        return m
    }
}
