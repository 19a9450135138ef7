// Claims: the talk's claims, the experiment that tests each, the evidence measured here (with spread) and a verdict.
import Foundation

/// Verdicts are deliberately coarse: "holds" within the claim's own rounding, "partly" for the
/// same order of magnitude, "does not hold" otherwise, "not tested" with the reason when no
/// run of this study is the claim's experiment. A claim is only judged on runs that compare
/// like with like: the same load shape (loop, connections, offered rate, tenant mix) and the
/// same I/O engine and CPU-limit clock, differing only in the isolation model.
public enum Claims {
    static func judge(modes: [ModeRow], colds: [ColdStartRow], ioBound: [IOBoundRow], node: NodeColdStart?, notes: StudyNotes) -> [ClaimRow] {
        let isolateCold = colds.first { $0.isolation == "isolate" && !$0.pooled }
        let pooledCold = colds.first { $0.isolation == "isolate" && $0.pooled }
        let processCold = colds.first { $0.isolation == "process" }
        let pairs = comparablePairs(modes)
        return [startsIn5ms(isolateCold, pooledCold), hundredTimesFaster(isolateCold, processCold, node, notes),
                tenthOfMemory(isolateCold, processCold, node, notes), ioBoundThird(ioBound, notes),
                contextSwitches(pairs, notes), costPerWork(pairs, notes)]
    }

    /// A verdict from the median, and a note when the repetitions' range reaches another one.
    static func verdict(_ v: Spread, _ rule: (Double) -> String) -> String {
        let mid = rule(v.median), low = rule(v.min), high = rule(v.max)
        if low == mid && high == mid { return mid }
        return mid + " (its spread reaches \(low == mid ? high : low))"
    }

    static func startsIn5ms(_ c: ColdStartRow?, _ pooled: ColdStartRow?) -> ClaimRow {
        let claim = "An isolate starts in about 5 ms"
        guard let c, let server = c.serverP50Millis else {
            return ClaimRow(claim: claim, experiment: "cold-start sweep over fresh tenants, isolate model",
                            measured: "—", verdict: "not tested (no isolate cold-start run)")
        }
        var m = "server-side p50 \(StudyFormat.s(server, 2, "ms")), p99 \(StudyFormat.s(c.serverP99Millis, 2, "ms")); "
        m += "client first response p50 \(StudyFormat.s(c.clientP50Millis, 2, "ms"))"
        if let p = pooled, let ps = p.serverP50Millis { m += "; from the prewarmed pool \(StudyFormat.s(ps, 2, "ms"))" }
        return ClaimRow(claim: claim,
                        experiment: "\(c.mode): \(c.count) fresh tenants hit once each on one connection, \(c.runs) repetition(s); "
                            + "server-side create + prelude + script + first call",
                        measured: m,
                        verdict: verdict(server) { $0 <= 7.5 ? "holds" : $0 <= 50 ? "partly (same order)" : "does not hold" })
    }

    static func hundredTimesFaster(_ c: ColdStartRow?, _ process: ColdStartRow?, _ node: NodeColdStart?, _ notes: StudyNotes) -> ClaimRow {
        let claim = "An isolate starts 100x faster than a Node.js process"
        guard let c, let n = node, let nodeMs = Spread(n.samplesMillis) else {
            let why = c == nil ? "no isolate cold-start run" : (notes.nodeMissing ?? "node is not installed")
            return ClaimRow(claim: claim, experiment: "Node.js spawn to first response vs isolate first response, client side",
                            measured: "—", verdict: "not tested (\(why))")
        }
        let r = StudyFormat.ratio(Spread(nodeMs.median), c.clientP50Millis).map { r -> Spread in
            var w = r
            w.min = nodeMs.min / c.clientP50Millis.max
            w.max = nodeMs.max / c.clientP50Millis.min
            w.count = max(nodeMs.count, c.clientP50Millis.count)
            return w
        }
        var m = "Node.js \(n.nodeVersion) \(StudyFormat.s(nodeMs, 1, "ms")) (\(n.samplesMillis.count) spawns) vs isolate "
        m += "\(StudyFormat.s(c.clientP50Millis, 2, "ms")) = \(StudyFormat.x(r))"
        if let p = process, let pr = StudyFormat.ratio(p.clientP50Millis, c.clientP50Millis) {
            m += "; Isoring's own process model \(StudyFormat.s(p.clientP50Millis, 2, "ms")) = \(StudyFormat.x(pr))"
        }
        return ClaimRow(claim: claim,
                        experiment: "client side, arrival to first response of a tenant never seen before: Node.js process spawn "
                            + "(p50 over spawns) vs \(c.mode) (p50 over \(c.count) tenants)",
                        measured: m,
                        verdict: r.map { verdict($0) { $0 >= 50 ? "holds" : $0 >= 10 ? "partly (same order: 10x or more)" : "does not hold" } } ?? "not tested")
    }

    static func tenthOfMemory(_ c: ColdStartRow?, _ process: ColdStartRow?, _ node: NodeColdStart?, _ notes: StudyNotes) -> ClaimRow {
        let claim = "An isolate needs a tenth of the memory of a process"
        guard let c, let iso = c.memoryKilobytesPerTenant, iso.min > 0 else {
            return ClaimRow(claim: claim, experiment: "memory a tenant adds: isolate vs process", measured: "—",
                            verdict: "not tested (no isolate cold-start run with an RSS reading)")
        }
        var against: [(String, Spread)] = []
        if let n = node, let k = n.memoryKilobytes { against.append(("Node.js process (\(n.memoryMethod))", k)) }
        if let p = process, let k = p.memoryKilobytesPerTenant { against.append(("Isoring worker process (\(p.memoryMethod))", k)) }
        guard let primary = against.first, let r = StudyFormat.ratio(primary.1, iso) else {
            return ClaimRow(claim: claim, experiment: "memory a tenant adds: isolate vs process", measured: "isolate \(StudyFormat.s(iso, 0, "KiB"))",
                            verdict: "not tested (no process to compare: \(notes.nodeMissing ?? "no Node.js or process-model sweep"))")
        }
        var m = "isolate \(StudyFormat.s(iso, 0, "KiB")) (\(c.memoryMethod))"
        for (what, k) in against { m += "; \(what) \(StudyFormat.s(k, 0, "KiB")) = \(StudyFormat.x(StudyFormat.ratio(k, iso)))" }
        return ClaimRow(claim: claim,
                        experiment: "memory one more tenant costs: \(c.mode) sweep over \(c.count) tenants vs \(primary.0)",
                        measured: m,
                        verdict: verdict(r) { $0 >= 7 ? "holds" : $0 >= 3 ? "partly" : "does not hold" })
    }

    /// The I/O-bound experiment (Scripts/measure-io-bound, run by the study): handlers that
    /// fetch() from `isoring origin`. The claim is judged per handler on the kernel time the
    /// isolate-plus-ring design removes from the conventional one (a process per tenant, its
    /// worker making blocking syscalls), as a share of that process's whole CPU per request:
    /// "holds" from a quarter up (a third, within the claim's rounding), "partly" from a tenth,
    /// "does not hold" below. The process's own kernel share is shown beside it.
    static func ioBoundThird(_ rows: [IOBoundRow], _ notes: StudyNotes) -> ClaimRow {
        let claim = "Syscalls and interrupts take up to a third of an I/O-bound function's time"
        let experiment = "handlers that fetch() from isoring origin (proxy: 1 subrequest, fanout: 4 in parallel): the kernel CPU per request "
            + "the isolate on io_uring saves against a process per tenant with blocking syscalls, as a share of the process's whole CPU "
            + "per request, (kernel_process - kernel_isolate) / (user + kernel)_process"
        let pairs = IOBoundComparison.pairs(rows)
        guard !pairs.isEmpty else {
            let why = rows.isEmpty
                ? (notes.ioBoundMissing ?? "the I/O-bound experiment has not run: no handler in this study does I/O of its own, and the hello handler's kernel share measures the server's network path, not a function's I/O")
                : "the I/O-bound experiment ran no pair of an isolate on io_uring and a process-model mode"
            return ClaimRow(claim: claim, experiment: experiment, measured: "—", verdict: "not tested (\(why))")
        }
        typealias F = StudyFormat
        let measured = pairs.map { p in
            "\(p.handler): \(p.process.io)-process \(F.s(p.process.cpuMicrosPerRequest, 1, "µs"))/req, kernel \(F.s(p.process.kernelMicrosPerRequest, 1, "µs")) "
                + "(\(F.s(p.process.kernelShareOfCPU.scaled(100), 0, "%"))); uring-isolate kernel \(F.s(p.isolate.kernelMicrosPerRequest, 1, "µs")): "
                + "\(F.s(p.removedShare.scaled(100), 0, "%")) of the process's CPU removed"
        }.joined(separator: "; ")
        let verdicts = pairs.map { p in
            (p.handler, verdict(p.removedShare) { $0 >= 0.25 ? "holds" : $0 >= 0.1 ? "partly" : "does not hold" })
        }
        let one = Set(verdicts.map(\.1)).count == 1
        return ClaimRow(claim: claim, experiment: experiment + " (\(pairs.map { "\($0.handler): \($0.process.io)-process vs uring-isolate" }.joined(separator: ", ")), \(pairs[0].isolate.connections) connections)",
                        measured: measured,
                        verdict: one ? verdicts[0].1 : verdicts.map { "\($0.0): \($0.1)" }.joined(separator: "; "))
    }

    /// Process (or cgi) and isolate modes run under the same load shape, engine and CPU-limit
    /// clock; open-loop pairs (same offered rate) first.
    static func comparablePairs(_ modes: [ModeRow]) -> [(process: ModeRow, isolate: ModeRow)] {
        var out: [(ModeRow, ModeRow)] = []
        for model in ["process", "cgi"] {
            for p in modes where p.isolation == model {
                let candidates = modes.filter {
                    $0.isolation == "isolate" && $0.io == p.io && $0.shape == p.shape
                        && $0.flags["cpuLimitClock"] == p.flags["cpuLimitClock"]
                }
                if let i = candidates.first(where: { $0.flags["isolateGroup"] != "per-loop" }) ?? candidates.first { out.append((p, i)) }
            }
            if !out.isEmpty { break }
        }
        return out.sorted { ($0.0.shape.isOpen ? 0 : 1) < ($1.0.shape.isOpen ? 0 : 1) }
    }

    /// One verdict when every load shape agrees, else each shape's own ("open loop: partly; closed loop: holds").
    static func perLoop(_ verdicts: [(LoadShape, String)]) -> String {
        if Set(verdicts.map(\.1)).count <= 1 { return verdicts.first?.1 ?? "not tested" }
        return verdicts.map { "\($0.0.isOpen ? "open loop at \(Int($0.0.rate ?? 0)) req/s" : "closed loop"): \($0.1)" }.joined(separator: "; ")
    }

    static func notPaired(_ notes: StudyNotes) -> String {
        let notBuilt = (notes.notBuilt ?? []).joined(separator: ", ")
        return notBuilt.isEmpty ? "no process-model run shares a load shape with an isolate run" : "process/cgi isolation not built: \(notBuilt)"
    }

    static func contextSwitches(_ pairs: [(process: ModeRow, isolate: ModeRow)], _ notes: StudyNotes) -> ClaimRow {
        let claim = "Process context switches waste CPU"
        let judged = pairs.compactMap { p -> (ModeRow, ModeRow, Spread, Spread?)? in
            guard let pc = p.process.contextSwitchesPerRequest, let ic = p.isolate.contextSwitchesPerRequest,
                  let r = StudyFormat.ratio(pc, ic) else { return nil }
            let cpu = p.process.cpuSecondsPerMillionRequests.flatMap { pcpu in p.isolate.cpuSecondsPerMillionRequests.flatMap { StudyFormat.ratio(pcpu, $0) } }
            return (p.process, p.isolate, r, cpu)
        }
        guard !judged.isEmpty else {
            return ClaimRow(claim: claim, experiment: "context switches and CPU per request, process vs isolate, same load",
                            measured: "—", verdict: "not tested (\(notPaired(notes)))")
        }
        let m = judged.map { (p, i, r, cpu) in
            "\(p.shape.isOpen ? "open" : "closed") loop: \(StudyFormat.s(p.contextSwitchesPerRequest)) vs \(StudyFormat.s(i.contextSwitchesPerRequest)) switches/req = \(StudyFormat.x(r))"
                + (cpu.map { ", CPU per request \(StudyFormat.x($0))" } ?? "")
        }.joined(separator: "; ")
        return ClaimRow(claim: claim,
                        experiment: "context switches per request (perf) and CPU per request: " + judged.map { "\($0.0.mode) vs \($0.1.mode), \($0.0.shape.description)" }.joined(separator: "; "),
                        measured: m,
                        verdict: perLoop(judged.map { ($0.0.shape, verdict($0.2) { [cpu = $0.3] r in
                            r >= 2 && (cpu?.median ?? 0) > 1.1 ? "holds" : r > 1.1 ? "partly" : "does not hold"
                        }) }))
    }

    static func costPerWork(_ pairs: [(process: ModeRow, isolate: ModeRow)], _ notes: StudyNotes) -> ClaimRow {
        let claim = "Isolates cost a third as much per unit of work"
        let judged = pairs.compactMap { p -> (ModeRow, ModeRow, Spread)? in
            guard let pc = p.process.cpuSecondsPerMillionRequests, let ic = p.isolate.cpuSecondsPerMillionRequests,
                  let r = StudyFormat.ratio(pc, ic) else { return nil }
            return (p.process, p.isolate, r)
        }
        guard !judged.isEmpty else {
            return ClaimRow(claim: claim, experiment: "CPU-seconds per million requests, process vs isolate, same load",
                            measured: "—", verdict: "not tested (\(notPaired(notes)))")
        }
        let m = judged.map { (p, i, r) in
            "\(p.shape.isOpen ? "open" : "closed") loop: \(StudyFormat.s(p.cpuSecondsPerMillionRequests, 1, "s")) vs \(StudyFormat.s(i.cpuSecondsPerMillionRequests, 1, "s")) = \(StudyFormat.x(r))"
        }.joined(separator: "; ")
        return ClaimRow(claim: claim,
                        experiment: "CPU-seconds (user + system, server and its workers) per million requests: "
                            + judged.map { "\($0.0.mode) vs \($0.1.mode), \($0.0.shape.description)" }.joined(separator: "; "),
                        measured: m,
                        verdict: perLoop(judged.map { ($0.0.shape, verdict($0.2) { $0 >= 2.5 ? "holds" : $0 >= 1.5 ? "partly" : "does not hold" }) }))
    }
}
