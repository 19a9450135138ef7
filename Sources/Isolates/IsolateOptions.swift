// IsolateOptions and IsolateStats: the isolate model's knobs (flags of `isoring serve`) and counters.
import Tenants

/// Options for the isolate model; each is a flag of `isoring serve`. A limit of 0 means none.
public struct IsolateOptions: Sendable {
    /// CPU time one request may spend in JavaScript before it is stopped with a 503
    /// (JSContextGroupSetExecutionTimeLimit; 0 = no limit).
    public var cpuLimitMs: Int = 50
    public var routing: TenantRouting = .hostOrPath
    /// `--prewarm N`: contexts kept ready (group, global object, prelude installed and warmed
    /// up). A cold tenant takes one and pays only for its own script; the pool is filled when
    /// the runtime is created and refilled by `IsolateRuntime.refillPool(budget:)`.
    public var prewarm: Int = 0
    /// `--max-tenants N`: live isolates at most; a cold start beyond it first evicts the least
    /// recently used tenant.
    public var maxTenants: Int = 0
    /// `--max-tenant-memory BYTES`: cap on the sum of live tenants' JSC heap capacity. Checked
    /// after each cold start and by `IsolateRuntime.housekeeping()`; least recently used
    /// tenants are evicted until the sum is under it.
    public var maxTenantMemoryBytes: Int = 0
    /// `--tenant-heap-mb N` (in bytes here): a tenant whose heap capacity is above this after
    /// a request is answered 503 ("tenant memory limit exceeded") and its isolate dropped; its
    /// next request creates a new one.
    public var tenantHeapBytes: Int = 0
    /// Requests a tenant serves between two readings of its heap for `tenantHeapBytes`. A
    /// reading (JSGetMemoryUsageStatistics) walks the tenant's heap and took about 0.7 ms in
    /// release even for a fresh context (Kernel-notes/isolates.md), so reading after every
    /// request would cost more than most handlers; every 100th request costs about 7 µs per
    /// request and lets a tenant overshoot for at most 99 requests. 1 = after every request.
    public var heapCheckEveryRequests: Int = 100
    /// `--isolate-group`: whether each tenant gets its own context group (its own VM: heap,
    /// GC and CPU watchdog), or all of a loop's tenants share one group, each with its own
    /// global object. Sharing trades the per-tenant heap (and so the per-tenant heap limit and
    /// memory cap, which it refuses) for one watchdog timer per loop instead of one per tenant:
    /// see Kernel-notes/javascriptcore.md for what the per-tenant timers cost under many tenants.
    public var sharedGroup = false
    /// `--penalty-box on|off` and its backoff: a tenant that keeps hitting the CPU limit is
    /// answered 503 without running for a while (see PenaltyBox). nil = off.
    public var penaltyBox: PenaltyBoxPolicy? = PenaltyBoxPolicy()
    /// `--request-timeout-ms`: wall-clock time a request may stay pending (awaiting timers or
    /// subrequests) before it is answered 504; 0 = no limit.
    public var requestTimeoutMs: Int = 30_000
    /// `--allow-backend`, `--max-subrequests`: what fetch() may reach.
    public var subrequests = SubrequestPolicy()
    /// The process's mapping limit the runtime keeps new contexts under (see MapBudget);
    /// 0 reads vm.max_map_count. Set lower only to test the refusal.
    public var maxMapCount = 0
    public init() {}

    /// Why these options cannot work together, or nil. With `sharedGroup` JavaScriptCore
    /// accounts one heap for the whole loop (JSGetMemoryUsageStatistics reads the VM, not a
    /// global object), and a dropped tenant's memory comes back only after its context is
    /// released and a collection runs: a per-tenant cap cannot be told apart from the loop's,
    /// and enforcing the loop's on whichever tenant ran last would evict innocents. What holds
    /// there is the CPU limit (an allocation spree in one request stops with it) and the
    /// process's own memory limit; per-tenant heap caps need `--isolate-group per-tenant`.
    public var conflict: String? {
        guard sharedGroup else { return nil }
        if tenantHeapBytes > 0 { return "--tenant-heap-mb needs a heap per tenant (--isolate-group per-tenant)" }
        if maxTenantMemoryBytes > 0 { return "--max-tenant-memory-mb needs a heap per tenant (--isolate-group per-tenant)" }
        return nil
    }
}

/// Counters of the isolate runtime (totals since start, plus current sizes).
public struct IsolateStats: Sendable, Equatable {
    public var coldStartsTotal = 0
    /// Cold starts that took a context from the prewarm pool.
    public var pooledColdStartsTotal = 0
    /// Contexts created for the pool (at start and by refillPool).
    public var poolContextsCreatedTotal = 0
    public var evictionsTotal: Int { evictionsByCountTotal + evictionsByMemoryTotal }
    /// Evictions because `maxTenants` was reached.
    public var evictionsByCountTotal = 0
    /// Evictions because `maxTenantMemoryBytes` was exceeded.
    public var evictionsByMemoryTotal = 0
    /// Contexts that failed to come up (prelude install failed); each cost one request a 503.
    public var isolateStartFailuresTotal = 0
    /// Times a tenant was put in the penalty box, and requests it refused without running.
    public var penaltyBoxEntriesTotal = 0
    public var penaltyBoxRefusalsTotal = 0
    /// Boxed tenants' refusals held back now (PenaltyHold; updated at each refusal and once a
    /// second), and refusals answered at once with `connection: close` because the hold was full.
    public var penaltyBoxHeld = 0
    public var penaltyBoxHoldOverflowTotal = 0
    /// Requests answered 503 because the tenant's heap exceeded `tenantHeapBytes`.
    public var heapLimitStopsTotal = 0
    /// New tenants answered 503 because another context would come within MapBudget's
    /// headroom of vm.max_map_count (the kernel would refuse JavaScriptCore's next mapping).
    public var mapLimitRefusalsTotal = 0
    /// Heap readings taken (per-tenant limit checks plus memory-cap bookkeeping).
    public var heapReadingsTotal = 0
    public var liveTenants = 0
    public var poolSize = 0
    /// Sum of the last heap reading of each live tenant.
    public var trackedHeapCapacityBytes = 0
    public init() {}
}
