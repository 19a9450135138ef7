// StudyBuilder: groups load runs by mode, averages repetitions, and judges the talk's claims.
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
    public static func build(runs: [StudyRun], node: NodeColdStart?, notes: StudyNotes) -> StudyReport {
        var missing: [String: String] = [:]
        var modes: [ModeRow] = []
        var order: [String] = []
        var groups: [String: [StudyRun]] = [:]
        for run in runs where !run.isColdStart {
            if groups[run.mode] == nil { order.append(run.mode) }
            groups[run.mode, default: []].append(run)
        }
        for name in order { modes.append(row(name, groups[name]!)) }
        let colds = runs.filter(\.isColdStart).compactMap(coldRow)
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
        for m in notes.notBuilt ?? [] { missing["isolation \(m)"] = "not built yet (isoring serve --help does not list it)" }
        if node == nil { missing["Node.js cold start"] = notes.nodeMissing ?? "node is not installed" }
        let environment = runs.compactMap { $0.load.server?.environment }.first
        let claims = Claims.judge(modes: modes, colds: colds, node: node, notes: notes)
        return StudyReport(environment: environment, serverMode: serverMode, loadSettings: loadSettings, notes: notes,
                           claims: claims, modes: modes, coldStarts: colds, node: node, missing: missing)
    }

    static func row(_ mode: String, _ runs: [StudyRun]) -> ModeRow {
        func avg(_ f: (StudyRun) -> Double?) -> Double? { StudyMath.mean(runs.compactMap(f)) }
        let rps = runs.map(\.load.requestsPerSecond)
        var percentiles: [String: Double] = [:]
        for key in runs[0].load.latencyPercentilesNanos.keys {
            percentiles[key] = avg { $0.load.latencyPercentilesNanos[key].map { Double($0) / 1e6 } }
        }
        let server = runs.first?.load.server
        let softirqs = avg { r -> Double? in
            guard let w = r.load.server?.window, let rx = w.perRequest.netRXSoftirqs, let tx = w.perRequest.netTXSoftirqs else { return nil }
            return rx + tx
        }
        let uring = server?.mode["io"] == "uring"
        return ModeRow(
            mode: mode, runs: runs.count, io: server?.mode["io"], isolation: server?.mode["isolation"],
            engine: server?.mode["engine"],
            requestsPerSecond: StudyMath.mean(rps) ?? 0, requestsPerSecondMin: rps.min() ?? 0, requestsPerSecondMax: rps.max() ?? 0,
            p50Millis: avg { Double($0.load.latency.p50Nanos) / 1e6 } ?? 0,
            p99Millis: avg { Double($0.load.latency.p99Nanos) / 1e6 } ?? 0,
            p999Millis: avg { Double($0.load.latency.p999Nanos) / 1e6 } ?? 0,
            latencyPercentilesMillis: percentiles,
            syscallsPerRequest: avg { $0.load.server?.window.perRequest.syscalls },
            engineSyscallsPerRequest: avg { $0.load.server?.window.perRequest.engineSyscalls },
            contextSwitchesPerRequest: avg { $0.load.server?.window.perRequest.contextSwitches },
            kernelShareOfCPU: avg { $0.load.server?.window.kernelShareOfCPU },
            cpuSecondsPerMillionRequests: avg { $0.load.server?.window.cpuSecondsPerMillionRequests },
            serviceMicrosPerRequest: avg { $0.load.server?.serviceMicrosPerRequest },
            netSoftirqsPerRequest: softirqs,
            ioUringEntersPerRequest: uring ? avg { $0.load.server?.window.perRequest.ioUringEnters } : nil,
            sqesPerEnter: uring ? avg { $0.load.server?.window.sqesPerEnter } : nil,
            cqesPerEnter: uring ? avg { $0.load.server?.window.cqesPerEnter } : nil,
            non2xx: runs.reduce(0) { $0 + $1.load.non2xx },
            socketErrors: runs.reduce(0) { $0 + $1.load.socketErrors.total })
    }

    static func coldRow(_ run: StudyRun) -> ColdStartRow? {
        guard let server = run.load.server, let c = server.coldStarts else { return nil }
        return ColdStartRow(mode: run.mode, isolation: server.mode["isolation"], count: c.count,
                            p50Millis: c.p50TotalMs, p99Millis: c.p99TotalMs, meanCreateMillis: c.meanCreateMs,
                            meanPreludeMillis: c.meanPreludeMs, meanScriptMillis: c.meanScriptMs,
                            meanFirstCallMillis: c.meanFirstCallMs, bytesPerTenant: server.memory.bytesPerNewTenant,
                            clientP50Millis: Double(run.load.latency.p50Nanos) / 1e6)
    }

    /// Reads run folders: a folder with load.json is a run; otherwise its subfolders with
    /// load.json are. node-coldstart.json and study.json are read from any folder given.
    public static func load(directories: [String]) throws -> (runs: [StudyRun], node: NodeColdStart?, notes: StudyNotes) {
        let fm = FileManager.default
        let decoder = JSONDecoder()
        var runs: [StudyRun] = []
        var node: NodeColdStart?
        var notes = StudyNotes()
        func readRun(_ dir: String) throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/load.json"))
            let load = try decoder.decode(LoadReport.self, from: data)
            runs.append(StudyRun(label: URL(fileURLWithPath: dir).lastPathComponent, load: load))
        }
        for dir in directories {
            if let d = fm.contents(atPath: dir + "/node-coldstart.json") { node = try? decoder.decode(NodeColdStart.self, from: d) }
            if let d = fm.contents(atPath: dir + "/study.json"), let n = try? decoder.decode(StudyNotes.self, from: d) { notes = n }
            if fm.fileExists(atPath: dir + "/load.json") {
                try readRun(dir)
                continue
            }
            let children = (try? fm.contentsOfDirectory(atPath: dir))?.sorted() ?? []
            for child in children where fm.fileExists(atPath: "\(dir)/\(child)/load.json") {
                try readRun("\(dir)/\(child)")
            }
        }
        return (runs, node, notes)
    }
}
