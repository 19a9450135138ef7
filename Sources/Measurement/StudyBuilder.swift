// StudyBuilder: groups load runs by mode, takes the median of their repetitions, and judges the talk's claims.
import Foundation

/// One run folder's result: its label (folder name) and what `isoring load --json` wrote.
public struct StudyRun: Sendable {
    public var label: String
    public var load: LoadReport
    public init(label: String, load: LoadReport) {
        self.label = label
        self.load = load
    }

    /// "uring-isolate.r2" -> "uring-isolate": repetitions share a mode.
    public var mode: String {
        if let r = label.range(of: ".r", options: .backwards), label[r.upperBound...].allSatisfy(\.isNumber),
           r.upperBound < label.endIndex {
            return String(label[..<r.lowerBound])
        }
        return label
    }

    /// A sweep over fresh tenants measures cold starts, not throughput.
    public var isColdStart: Bool { load.settings.tenantOrder == TenantOrderName.sweep }
}

enum TenantOrderName { static let sweep = "sweep" }

public enum StudyBuilder {
    public static func build(runs all: [StudyRun], ioBound samples: [IOBoundSample] = [], node: NodeColdStart?,
                             notes: StudyNotes) -> StudyReport {
        var missing: [String: String] = [:]
        // A run without a single response measured nothing: name it, keep it out of the medians.
        let runs = all.filter { $0.load.requests > 0 }
        for run in all where run.load.requests == 0 { missing["\(run.label): the whole run"] = "no response in the measured window" }
        let modes = grouped(runs.filter { !$0.isColdStart }).map { row($0.0, $0.1) }
        let colds = grouped(runs.filter(\.isColdStart)).compactMap { coldRow($0.0, $0.1) }
        var serverMode: [String: [String: String]] = [:]
        var loadSettings: [String: LoadSettings] = [:]
        for run in runs {
            if let m = run.load.server?.mode { serverMode[run.mode] = m }
            loadSettings[run.mode] = run.load.settings
            let uring = run.load.server?.mode["io"] == "uring"
            for (k, why) in run.load.server?.window.missing ?? [:] where !k.hasPrefix("perRequest.syscallsByName.")
                && (uring || (k != "sqesPerEnter" && k != "cqesPerEnter")) {
                missing["\(run.mode): \(k)"] = why
            }
            if run.load.server == nil { missing["\(run.mode): server counters"] = "the run did not drive the server's window (--window)" }
        }
        for c in colds where c.memoryKilobytesPerTenant == nil { missing["\(c.mode): memory per tenant"] = c.memoryMethod }
        for f in notes.failedRuns ?? [] {
            let name = f.split(separator: ":", maxSplits: 1).first.map(String.init) ?? f
            missing["\(name): the whole run"] = f.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
        for m in notes.notBuilt ?? [] { missing["isolation \(m)"] = "not built yet (isoring serve --help does not list it)" }
        if node == nil { missing["Node.js cold start"] = notes.nodeMissing ?? "node is not installed" }
        let ioBound = IOBoundRow.rows(samples)
        for s in samples where s.requests == 0 {
            missing["I/O-bound \(s.handler) \(s.io)-\(s.isolation): one repetition"] = "no response in the measured window"
        }
        let environment = runs.compactMap { $0.load.server?.environment }.first
        let claims = Claims.judge(modes: modes, colds: colds, ioBound: ioBound, node: node, notes: notes)
        return StudyReport(environment: environment, serverMode: serverMode, loadSettings: loadSettings, notes: notes,
                           claims: claims, modes: modes, coldStarts: colds, node: node, ioBound: samples.isEmpty ? nil : ioBound,
                           missing: missing)
    }

    /// Runs grouped by mode, in order of first appearance.
    static func grouped(_ runs: [StudyRun]) -> [(String, [StudyRun])] {
        var order: [String] = []
        var groups: [String: [StudyRun]] = [:]
        for run in runs {
            if groups[run.mode] == nil { order.append(run.mode) }
            groups[run.mode, default: []].append(run)
        }
        return order.map { ($0, groups[$0]!) }
    }

    static func row(_ mode: String, _ runs: [StudyRun]) -> ModeRow {
        func spread(_ f: (StudyRun) -> Double?) -> Spread? { Spread(runs.compactMap(f)) }
        func window(_ f: @escaping (WindowReport) -> Double?) -> Spread? { spread { $0.load.server.flatMap { f($0.window) } } }
        func ms(_ f: @escaping (LatencySummary) -> UInt64) -> Spread { spread { Double(f($0.load.latency)) / 1e6 } ?? Spread(0) }
        var percentiles: [String: Double] = [:]
        for key in runs[0].load.latencyPercentilesNanos.keys {
            percentiles[key] = spread { $0.load.latencyPercentilesNanos[key].map { Double($0) / 1e6 } }?.median
        }
        let server = runs.first?.load.server
        let uring = server?.mode["io"] == "uring"
        return ModeRow(
            mode: mode, runs: runs.count, io: server?.mode["io"], isolation: server?.mode["isolation"],
            engine: server?.mode["engine"], flags: server?.mode ?? [:], shape: LoadShape(runs[0].load.settings),
            requestsPerSecond: spread { $0.load.requestsPerSecond } ?? Spread(0),
            p50Millis: ms(\.p50Nanos), p99Millis: ms(\.p99Nanos), p999Millis: ms(\.p999Nanos),
            latencyPercentilesMillis: percentiles, latencySamples: runs.map(\.load.latency.count).min() ?? 0,
            syscallsPerRequest: window { $0.perRequest.syscalls },
            engineSyscallsPerRequest: window { $0.perRequest.engineSyscalls },
            contextSwitchesPerRequest: window { $0.perRequest.contextSwitches },
            kernelShareOfCPU: window { $0.kernelShareOfCPU },
            cpuSecondsPerMillionRequests: window { $0.cpuSecondsPerMillionRequests },
            serviceMicrosPerRequest: spread { $0.load.server?.serviceMicrosPerRequest },
            netSoftirqsPerRequest: window { w in w.perRequest.netRXSoftirqs.flatMap { rx in w.perRequest.netTXSoftirqs.map { rx + $0 } } },
            interruptsPerRequest: window { $0.perRequest.interrupts },
            softirqMicrosPerRequest: window { w in w.machineSoftirqMicros.flatMap { w.requests > 0 ? Double($0) / Double(w.requests) : nil } },
            ioUringEntersPerRequest: uring ? window { $0.perRequest.ioUringEnters } : nil,
            sqesPerEnter: uring ? window { $0.sqesPerEnter } : nil,
            cqesPerEnter: uring ? window { $0.cqesPerEnter } : nil,
            non2xx: runs.reduce(0) { $0 + $1.load.non2xx },
            socketErrors: runs.reduce(0) { $0 + $1.load.socketErrors.total },
            unsentDue: runs.reduce(0) { $0 + $1.load.unsentDue })
    }

    static func coldRow(_ mode: String, _ runs: [StudyRun]) -> ColdStartRow? {
        let measured = runs.filter { $0.load.server != nil }
        guard let first = measured.first?.load.server else { return nil }
        let isolation = first.mode["isolation"]
        let pooled = (Int(first.mode["prewarm"] ?? "0") ?? 0) > 0
        func spread(_ f: (ServerWindowRecord) -> Double?) -> Spread? { Spread(measured.compactMap { $0.load.server.flatMap(f) }) }
        let client50 = Spread(measured.map { Double($0.load.latency.p50Nanos) / 1e6 }) ?? Spread(0)
        let client99 = Spread(measured.map { Double($0.load.latency.p99Nanos) / 1e6 }) ?? Spread(0)
        var memory: Spread?
        var method: String
        switch isolation {
        case "process":
            memory = spread { s in
                guard let pss = s.memory.workerPSSKilobytes, let n = s.coldStarts?.count, n > 0 else { return nil }
                return (Double(pss) + max(0, (s.memory.bytesPerNewTenant ?? 0) * Double(n) / 1024)) / Double(n)
            }
            method = memory == nil ? "the window recorded no worker PSS" : "worker processes' PSS (smaps_rollup) plus the front's RSS growth, per tenant"
        case "cgi":
            method = "cgi keeps no process per tenant: each request's process exits after answering"
        default:
            memory = spread { $0.memory.bytesPerNewTenant.map { $0 / 1024 } }
            method = memory == nil ? "no RSS reading in the window" :
                (pooled ? "server RSS growth per tenant (includes the pool's refills)" : "server RSS growth per tenant")
        }
        let isolatePhases = isolation == "isolate" || isolation == nil
        func phase(_ f: (ColdStartSummary) -> Double) -> Double? { isolatePhases ? spread { $0.coldStarts.map(f) }?.median : nil }
        return ColdStartRow(
            mode: mode, isolation: isolation, pooled: pooled,
            count: measured.map { $0.load.server?.coldStarts?.count ?? Int($0.load.requests) }.max() ?? 0, runs: measured.count,
            clientP50Millis: client50, clientP99Millis: client99,
            serverP50Millis: spread { $0.coldStarts?.p50TotalMs }, serverP99Millis: spread { $0.coldStarts?.p99TotalMs },
            meanCreateMillis: phase(\.meanCreateMs), meanPreludeMillis: phase(\.meanPreludeMs),
            meanScriptMillis: phase(\.meanScriptMs), meanFirstCallMillis: phase(\.meanFirstCallMs),
            memoryKilobytesPerTenant: memory, memoryMethod: method)
    }

    /// Reads run folders: a folder with load.json is a run; otherwise its subfolders with
    /// load.json are. node-coldstart.json, study.json and io-bound*.json (one per repetition of
    /// the I/O-bound experiment) are read from any folder given.
    public static func load(directories: [String]) throws
        -> (runs: [StudyRun], ioBound: [IOBoundSample], node: NodeColdStart?, notes: StudyNotes) {
        let fm = FileManager.default
        let decoder = JSONDecoder()
        var runs: [StudyRun] = []
        var node: NodeColdStart?
        var notes = StudyNotes()
        var ioBound: [IOBoundSample] = []
        func readRun(_ dir: String) throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/load.json"))
            let load = try decoder.decode(LoadReport.self, from: data)
            runs.append(StudyRun(label: URL(fileURLWithPath: dir).lastPathComponent, load: load))
        }
        for dir in directories {
            if let d = fm.contents(atPath: dir + "/node-coldstart.json") { node = try? decoder.decode(NodeColdStart.self, from: d) }
            if let d = fm.contents(atPath: dir + "/study.json"), let n = try? decoder.decode(StudyNotes.self, from: d) { notes = n }
            for f in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where f.hasPrefix("io-bound") && f.hasSuffix(".json") {
                let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))
                do { ioBound += try decoder.decode([IOBoundSample].self, from: data) } catch {
                    throw StudyLoadError("\(dir)/\(f) is not Scripts/measure-io-bound --json output: \(error)")
                }
            }
            if fm.fileExists(atPath: dir + "/load.json") {
                try readRun(dir)
                continue
            }
            let children = (try? fm.contentsOfDirectory(atPath: dir))?.sorted() ?? []
            for child in children where fm.fileExists(atPath: "\(dir)/\(child)/load.json") {
                try readRun("\(dir)/\(child)")
            }
        }
        return (runs, ioBound, node, notes)
    }
}

/// A study folder whose files cannot be read as what their names say.
public struct StudyLoadError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
