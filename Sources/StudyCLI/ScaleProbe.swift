// `isoring scale-probe`: N generated tenants, one request each, in this process (no sockets):
// cold-start phases (group, global object, prelude, script, first call) and memory per tenant.
import ArgumentParser
import Isolates
import JSCGlue

struct ScaleProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale-probe",
        abstract: "Cold-start phases and RSS per tenant over N fresh tenants, served in-process (a Markdown row per run).",
        discussion: """
        Each size runs in a fresh runtime in this process, one after the other (RSS per tenant is
        the growth over the run divided by N, so run one size per process for clean figures).
        Every tenant's first request is a cold start; with --prewarm the pool is filled first.
        """)

    @Option(help: "Tenant counts, comma-separated.")
    var tenants = "100"

    @Option(help: "Prewarmed contexts: a number, or 'n' for as many as tenants.")
    var prewarm = "0"

    @Option(help: "per-tenant or per-loop (one context group for all tenants).")
    var isolateGroup: IsolateGroupKind = .perTenant

    @Option(help: "CPU limit per request in ms (0 = none).")
    var cpuLimitMs = 50

    @Flag(help: "Print the Markdown table header first.")
    var header = false

    func run() throws {
        let sizes = tenants.split(separator: ",").compactMap { Int($0) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--tenants: positive counts, comma-separated") }
        JSCEngine.configure()
        if header { print(ScaleResult.markdownHeader) }
        for n in sizes {
            var options = IsolateOptions()
            options.cpuLimitMs = cpuLimitMs
            options.sharedGroup = isolateGroup == .perLoop
            guard let pool = prewarm == "n" ? n : Int(prewarm), pool >= 0 else { throw ValidationError("--prewarm: a count or 'n'") }
            options.prewarm = pool
            let r = try IsolateScaleProbe(options: options).run(tenants: n)
            print(r.markdownRow)
        }
    }
}
