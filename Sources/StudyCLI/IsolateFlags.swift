// IsolateFlags: the isolate model's pool and memory limits, as `serve` flags.
import ArgumentParser
import Isolates

/// `--isolate-group`: one JavaScriptCore context group per tenant, or one per loop.
enum IsolateGroupKind: String, ExpressibleByArgument, CaseIterable {
    case perTenant = "per-tenant"
    case perLoop = "per-loop"
}

struct IsolateFlags: ParsableArguments {
    @Option(help: "Contexts kept ready (group, global object, prelude installed); a new tenant takes one and pays only for its own script. Refilled one per loop turn, off the request path.")
    var prewarm = 0

    @Option(help: "Cap on the sum of tenants' JavaScript heaps, in MiB (0 = none); past it least recently used tenants are evicted.")
    var maxTenantMemoryMb = 0

    @Option(help: "Heap limit of one tenant in MiB (0 = none); a tenant over it gets 503 and is recreated on its next request.")
    var tenantHeapMb = 0

    @Option(help: "Context groups: per-tenant (each tenant its own JavaScriptCore VM: heap, GC and CPU watchdog) or per-loop (a loop's tenants share one VM, each with its own global object: one watchdog timer instead of one per tenant; no per-tenant heap limits).")
    var isolateGroup: IsolateGroupKind = .perTenant

    @OptionGroup var penaltyBox: PenaltyBoxFlags

    @Option(help: "Requests between two readings of a tenant's heap for --tenant-heap-mb (one reading walks the heap: about 0.8 ms).")
    var heapCheckEvery = 100

    func validate() throws {
        guard prewarm >= 0 else { throw ValidationError("--prewarm must not be negative, got \(prewarm)") }
        guard maxTenantMemoryMb >= 0 else { throw ValidationError("--max-tenant-memory-mb must not be negative") }
        guard tenantHeapMb >= 0 else { throw ValidationError("--tenant-heap-mb must not be negative") }
        guard heapCheckEvery >= 1 else { throw ValidationError("--heap-check-every must be at least 1, got \(heapCheckEvery)") }
        var o = IsolateOptions()
        apply(to: &o, maxTenants: nil)
        if let conflict = o.conflict { throw ValidationError("--isolate-group per-loop: \(conflict)") }
    }

    func apply(to o: inout IsolateOptions, maxTenants: Int?) {
        o.prewarm = prewarm
        o.maxTenants = maxTenants ?? 0
        o.maxTenantMemoryBytes = maxTenantMemoryMb << 20
        o.tenantHeapBytes = tenantHeapMb << 20
        o.heapCheckEveryRequests = heapCheckEvery
        o.sharedGroup = isolateGroup == .perLoop
        o.penaltyBox = penaltyBox.policy
    }
}
