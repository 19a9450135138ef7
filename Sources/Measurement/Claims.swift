// Claims: the talk's five claims, the experiment that tests each, the value measured here and a verdict.
import Foundation

/// Verdicts are deliberately coarse: "holds" within the claim's own rounding, "partly" for
/// the same order of magnitude, "does not hold" otherwise, "not measured" with the reason.
public enum Claims {
    static func judge(modes: [ModeRow], colds: [ColdStartRow], node: NodeColdStart?, notes: StudyNotes) -> [ClaimRow] {
        var rows: [ClaimRow] = []
        let isolateCold = colds.first { $0.isolation == "isolate" } ?? colds.first
        let processCold = colds.first { $0.isolation == "process" }

        // 1. Isolate start in ~5 ms.
        if let c = isolateCold {
            let v = c.p50Millis
            rows.append(ClaimRow(claim: "An isolate starts in about 5 ms",
                                 experiment: "\(c.count) fresh tenants hit once each (server-side create + prelude + script + first call, p50)",
                                 measured: String(format: "%.2f ms (p99 %.2f ms)", v, c.p99Millis),
                                 verdict: v <= 7.5 ? "holds" : v <= 50 ? "partly (same order)" : "does not hold"))
        } else {
            rows.append(ClaimRow(claim: "An isolate starts in about 5 ms", experiment: "cold-start sweep over fresh tenants",
                                 measured: "—", verdict: "not measured (no cold-start run)"))
        }

        // 2. 100x faster than a Node.js process.
        var baseline: (String, Double)?
        if let n = node { baseline = ("Node.js \(n.nodeVersion) process spawn to first response", n.p50Millis) }
        if let p = processCold { baseline = baseline ?? ("isoring worker process spawn to first response", p.p50Millis) }
        if let c = isolateCold, let (what, ms) = baseline, c.p50Millis > 0 {
            let ratio = ms / c.p50Millis
            rows.append(ClaimRow(claim: "Isolate start is 100x faster than a Node.js process",
                                 experiment: "\(what) (p50) vs isolate cold start (p50)",
                                 measured: String(format: "%.1f ms vs %.2f ms = %.0fx", ms, c.p50Millis, ratio),
                                 verdict: ratio >= 50 ? "holds" : ratio >= 10 ? "partly (\(Int(ratio))x)" : "does not hold"))
        } else {
            rows.append(ClaimRow(claim: "Isolate start is 100x faster than a Node.js process",
                                 experiment: "node spawn-to-first-response vs isolate cold start", measured: "—",
                                 verdict: "not measured (\(node == nil ? (notes.nodeMissing ?? "node missing") : "no isolate cold-start run"))"))
        }

        // 3. A tenth of the memory.
        if let c = isolateCold, let per = c.bytesPerTenant, per > 0, let n = node {
            let nodeBytes = n.medianRSSKilobytes * 1024
            let ratio = nodeBytes / per
            rows.append(ClaimRow(claim: "An isolate needs a tenth of the memory of a process",
                                 experiment: "server RSS growth per fresh tenant vs a Node.js process's RSS at first response",
                                 measured: String(format: "%.0f KiB vs %.0f KiB = 1/%.1f", per / 1024, nodeBytes / 1024, ratio),
                                 verdict: ratio >= 7 ? "holds" : ratio >= 3 ? "partly" : "does not hold"))
        } else {
            rows.append(ClaimRow(claim: "An isolate needs a tenth of the memory of a process",
                                 experiment: "RSS growth per fresh tenant vs a Node.js process's RSS", measured: "—",
                                 verdict: "not measured (needs a cold-start run and node)"))
        }

        // 4. Up to a third of an I/O-bound function's time in syscalls and interrupts.
        let shares = modes.compactMap { m in m.kernelShareOfCPU.map { (m.mode, $0) } }
        if let maxShare = shares.max(by: { $0.1 < $1.1 }), let minShare = shares.min(by: { $0.1 < $1.1 }) {
            rows.append(ClaimRow(claim: "Syscalls and interrupts take up to a third of an I/O-bound function's time",
                                 experiment: "kernel share of the server's CPU time (system / (user + system)) per mode",
                                 measured: String(format: "%.0f%%", minShare.1 * 100) + " (\(minShare.0)) to " + String(format: "%.0f%%", maxShare.1 * 100) + " (\(maxShare.0))",
                                 verdict: maxShare.1 >= 0.25 ? "holds (at least a quarter in some mode)" : maxShare.1 >= 0.1 ? "partly" : "does not hold"))
        } else {
            rows.append(ClaimRow(claim: "Syscalls and interrupts take up to a third of an I/O-bound function's time",
                                 experiment: "kernel share of CPU per mode", measured: "—", verdict: "not measured"))
        }

        // 5. Process context switches waste CPU; 6. isolates cost a third per unit of work.
        let isolateModes = modes.filter { $0.isolation == "isolate" }
        // The talk's comparison is a process per tenant (container-per-function); cgi (a process
        // per request) only stands in when the process model did not run.
        let processModes = modes.filter { $0.isolation == "process" } + modes.filter { $0.isolation == "cgi" }
        let bestIsolate = isolateModes.min { ($0.cpuSecondsPerMillionRequests ?? .infinity) < ($1.cpuSecondsPerMillionRequests ?? .infinity) }
        let notBuilt = (notes.notBuilt ?? []).joined(separator: ", ")
        if let p = processModes.first, let i = isolateModes.first(where: { $0.io == p.io }) ?? bestIsolate,
           let pc = p.contextSwitchesPerRequest, let ic = i.contextSwitchesPerRequest, ic > 0 {
            rows.append(ClaimRow(claim: "Process context switches waste CPU",
                                 experiment: "context switches per request, \(p.mode) vs \(i.mode)",
                                 measured: String(format: "%.2f vs %.2f = %.1fx", pc, ic, pc / ic),
                                 verdict: pc / ic >= 2 ? "holds" : pc / ic > 1.1 ? "partly" : "does not hold"))
        } else {
            let iso = isolateModes.compactMap { m in m.contextSwitchesPerRequest.map { m.mode + String(format: " %.2f", $0) } }
            rows.append(ClaimRow(claim: "Process context switches waste CPU",
                                 experiment: "context switches per request, process/cgi vs isolate",
                                 measured: iso.isEmpty ? "—" : "isolate only: " + iso.joined(separator: ", "),
                                 verdict: "not measured (process/cgi isolation \(notBuilt.isEmpty ? "runs missing" : "not built: \(notBuilt)"))"))
        }
        if let p = processModes.first, let i = isolateModes.first(where: { $0.io == p.io }) ?? bestIsolate,
           let pc = p.cpuSecondsPerMillionRequests, let ic = i.cpuSecondsPerMillionRequests, ic > 0 {
            rows.append(ClaimRow(claim: "Isolates cost a third as much per unit of work",
                                 experiment: "CPU-seconds (user + system, server and children) per million requests, \(p.mode) vs \(i.mode)",
                                 measured: String(format: "%.1f s vs %.1f s = %.1fx", pc, ic, pc / ic),
                                 verdict: pc / ic >= 2.5 ? "holds" : pc / ic >= 1.5 ? "partly" : "does not hold"))
        } else {
            let iso = isolateModes.compactMap { m in m.cpuSecondsPerMillionRequests.map { m.mode + String(format: " %.1f s", $0) } }
            rows.append(ClaimRow(claim: "Isolates cost a third as much per unit of work",
                                 experiment: "CPU-seconds per million requests, process/cgi vs isolate",
                                 measured: iso.isEmpty ? "—" : "isolate only: " + iso.joined(separator: ", "),
                                 verdict: "not measured (process/cgi isolation \(notBuilt.isEmpty ? "runs missing" : "not built: \(notBuilt)"))"))
        }
        return rows
    }
}
