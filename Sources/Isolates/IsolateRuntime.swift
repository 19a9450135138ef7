// IsolateRuntime: the narrow interface the event core calls to answer a request from a tenant's
// JavaScript: routing, isolate creation on first request (cold start), dispatch.
import Platform
import Glibc
import HTTP1
import JSCGlue
import Logging
import Tenants
import Responding

/// One tenant's JSC heap statistics (see JSCGlue.JSCMemoryUsage; re-declared so callers of
/// Isolates need not import JSCGlue).
public struct TenantMemoryUsage: Sendable, Equatable {
    public var heapSizeBytes: Int
    public var heapCapacityBytes: Int
    public var extraMemoryBytes: Int
    public var objectCount: Int
}

/// Answers requests by running tenants' JavaScript, one JSC context group per tenant, created
/// on the tenant's first request (from the prewarm pool when there is one), kept warm, and
/// evicted least-recently-used under `maxTenants` / `maxTenantMemoryBytes`.
///
/// Settling: JSC drains microtasks when the outermost API call returns, so a handler that
/// awaits only already-settled work has answered when the dispatch call returns. A handler
/// still pending then, while its isolate has a timer or a subrequest outstanding on the loop
/// (`LoopIO`), goes pending and answers through its `ResponseHandle` from a later entry
/// (Isolate+Async.swift): timers run on the loop's clock, `--request-timeout-ms` answers 504.
/// Called directly (no handle, as in unit tests), timers run on virtual time instead: the
/// earliest fires at once while the response is pending. A promise that can no longer
/// settle (nothing outstanding) is a 500.
///
/// Owned by one thread (one runtime per event loop); a caller that shares one between threads
/// serialises calls itself. Two calls are for the loop's idle moments, never the request
/// path: `refillPool(budget:)` (after responses are sent) and `housekeeping()` (about once a
/// second).
public final class IsolateRuntime {
    public let options: IsolateOptions
    private var catalog: TenantCatalog
    let logger: Logger
    private var states: [String: TenantState] = [:]
    private var live = TenantLRU<LiveTenant>()
    private var pool: [Isolate] = []
    /// A pooled context whose warm-up has not run yet (see `refillStep`).
    private var preparing: Isolate?
    /// Tenants that hit the CPU limit lately (see PenaltyBox; `IsolateRuntime+PenaltyBox.swift`).
    var penalties: PenaltyBox
    /// Boxed tenants' refusals held back on the loop's timers (PenaltyHold).
    let hold: PenaltyHold
    public internal(set) var stats = IsolateStats()
    /// The handle of the request being answered (set by the Responder conformance): a
    /// handler that awaits real work answers through it later.
    var currentResponse: ResponseHandle?
    /// Kept-alive backend connections of fetch(), shared by this runtime's tenants.
    private lazy var backendPool = BackendPool(maxIdlePerBackend: options.subrequests.maxIdlePerBackend)
    /// Isolate creations, in order (for the measurement layer); the oldest half is dropped
    /// when it reaches `coldStartRecordsMax`, so a long run with eviction churn stays bounded.
    public private(set) var coldStarts: [ColdStart] = []
    public static let coldStartRecordsMax = 100_000
    /// Called after each cold start, on the runtime's thread.
    public var onColdStart: ((ColdStart) -> Void)?

    private enum TenantState {
        /// Its slot in `live`.
        case live(Int)
        /// The script could not be loaded; every request answers 500 and logs the reason
        /// (cached: the file is not re-read until the process restarts).
        case failed(String)
    }

    private struct LiveTenant {
        let name: String
        let isolate: Isolate
        /// Last heap reading (bytes), and requests since it was taken.
        var heapCapacityBytes: Int
        var requestsSinceReading: Int
        /// The isolate's CPU-limit stops the penalty box has counted. A stop in an entry after
        /// an await (a timer, a subrequest) happens outside `serve`; the tenant's next request
        /// counts it before deciding whether to run.
        var stopsPenalised = 0
    }

    /// Creates the runtime and fills the prewarm pool (`options.prewarm` contexts, at start,
    /// before any request).
    /// The one context group of all tenants when `options.sharedGroup` (else nil).
    let sharedGroup: JSCContextGroup?
    /// What keeps new contexts under vm.max_map_count.
    private var mapBudget: MapBudget
    private var mapRefusalLoggedNanos = 0
    /// Set when a refill could not make a context; cleared by `housekeeping` (once a second).
    var poolRefillPaused = false

    public init(options: IsolateOptions, tenants: TenantSource,
                logger: Logger) throws {
        self.options = options
        self.logger = logger
        if case .directory(let dir) = tenants, !Self.isDirectory(dir) {
            throw ScriptLoadError("tenants folder \(dir) does not exist or is not a folder")
        }
        if let conflict = options.conflict { throw ScriptLoadError(conflict) }
        if options.cpuLimitMs > 0 && !JSCEngine.pollingTraps {
            logger.warning("JavaScriptCore refused usePollingTraps; optimised code may escape the CPU limit")
        }
        if options.sharedGroup {
            let group = JSCContextGroup()
            if options.cpuLimitMs > 0 { group.setExecutionTimeLimit(seconds: Double(options.cpuLimitMs) / 1000) }
            sharedGroup = group
        } else {
            sharedGroup = nil
        }
        catalog = TenantCatalog(tenants)
        penalties = PenaltyBox(policy: options.penaltyBox ?? PenaltyBoxPolicy())
        hold = PenaltyHold(policy: options.penaltyBox ?? PenaltyBoxPolicy())
        mapBudget = MapBudget(limit: options.maxMapCount, sharedGroup: options.sharedGroup)
        refillPool(budget: options.prewarm)
    }

    /// Tenants with a live isolate.
    public var tenantCount: Int { live.count }

    /// Contexts waiting in the prewarm pool (warmed up).
    public var poolCount: Int { pool.count }
    /// True while a pooled context is half made (its warm-up is the next refill step).
    public var isPreparing: Bool { preparing != nil }

    /// Names of live tenants from most to least recently used (not for the request path).
    public var tenantsByRecency: [String] { live.slotsByRecency.map { live[$0].name } }

    /// Creates up to `budget` pooled contexts while the pool holds fewer than `prewarm`;
    /// returns how many it made. Each costs a context group, a global object, the prelude and
    /// its warm-up (see Kernel-notes/isolates.md for the time): for the start and for tests.
    /// The loop refills with `refillStep()` instead, half a context per turn.
    @discardableResult
    public func refillPool(budget: Int) -> Int {
        var made = 0
        while made < budget {
            if preparing == nil {
                guard pool.count < options.prewarm, refillStep() else { break }
            }
            refillStep()  // the warm-up, which completes it
            made += 1
        }
        return made
    }

    /// One half of a pooled context: a new context (group, global object, prelude) when none
    /// is being prepared, else the prepared one's warm-up, after which it joins the pool. Each
    /// half takes about 2 to 5 ms here, so a request that arrives while the loop refills
    /// waits for one half at most. Returns false when no context could be made (the mapping
    /// budget refused, or the prelude failed); refills then pause until `housekeeping`.
    @discardableResult
    func refillStep() -> Bool {
        if let isolate = preparing {
            isolate.warmUp()
            preparing = nil
            pool.append(isolate)
            stats.poolContextsCreatedTotal += 1
            stats.poolSize = pool.count
            return true
        }
        guard pool.count < options.prewarm else { return false }
        guard admitContext(for: "prewarm") else {
            poolRefillPaused = true
            return false
        }
        var unused = ColdStart(tenant: "")
        do {
            preparing = try Isolate(name: "", cpuLimitMs: options.cpuLimitMs, sharedGroup: sharedGroup, logger: logger, coldStart: &unused)
        } catch {
            stats.isolateStartFailuresTotal += 1
            logger.error("prewarm: could not create a context: \(error); the pool stays at \(pool.count)")
            mapBudget.contextReleased()
            poolRefillPaused = true
            return false
        }
        return true
    }

    /// A pooled context for a new tenant: a warmed one, else the one still being prepared
    /// (its prelude is in; the first request compiles the request path itself).
    private func takePooled() -> Isolate? {
        if let isolate = pool.popLast() { return isolate }
        defer { preparing = nil }
        return preparing
    }

    /// Re-reads the heap of tenants that served requests since their last reading and evicts
    /// least-recently-used tenants while the total exceeds `maxTenantMemoryBytes`. An idle
    /// tenant's heap does not grow, so only used tenants are read. Call about once a second
    /// from the loop, off the request path; does nothing without a memory cap.
    public func housekeeping() {
        poolRefillPaused = false
        if !penalties.isEmpty { penalties.forget(now: Int(monotonicNanos())) }
        stats.penaltyBoxHeld = hold.count
        guard options.maxTenantMemoryBytes > 0 else { return }
        for slot in live.slotsByRecency where live[slot].requestsSinceReading > 0 {
            readHeap(slot)
        }
        enforceMemoryCap(keeping: nil)
    }

    /// JSC heap statistics of each live tenant (JSGetMemoryUsageStatistics); not for the
    /// request path (each reading walks the tenant's heap and allocates a JavaScript object).
    /// With a shared group every tenant reads the same heap, and each reading walks all of it:
    /// pass `first: 1` for the one reading that means something.
    public func memoryUsage(first: Int = .max) -> [String: TenantMemoryUsage] {
        var out: [String: TenantMemoryUsage] = [:]
        for slot in live.slotsByRecency.prefix(first) {
            let m = live[slot].isolate.context.memoryUsage()
            out[live[slot].name] = TenantMemoryUsage(heapSizeBytes: m.heapSizeBytes, heapCapacityBytes: m.heapCapacityBytes,
                                                     extraMemoryBytes: m.extraMemoryBytes, objectCount: m.objectCount)
        }
        return out
    }

    /// Drops every live isolate and the pool (for tests and shutdown).
    public func evictAll() {
        while let slot = live.leastRecent { evict(slot) }
        pool.removeAll()
        preparing = nil
        stats.poolSize = 0
    }

    /// Routes `request` (ranges into `bytes`) to its tenant, runs the handler and writes one
    /// complete HTTP/1.1 response to `out` (status line, headers with content-length and,
    /// when `keepAlive` is false, `connection: close`; body unless HEAD). Errors become
    /// responses: 404 unknown tenant, 500 script error, 503 CPU limit. Returns the status.
    @discardableResult
    public func respond(to request: HTTPRequest, in bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                        into out: OutputBuffer) -> Int {
        let host = request.host.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }
        let target = UnsafeRawBufferPointer(rebasing: bytes[request.target])
        let route = TenantRouter.route(host: host, target: target, routing: options.routing) {
            self.catalog.isKnown($0)
        }
        switch route {
        case .tenant(let name):
            return serve(name, request, bytes, keepAlive, out)
        case .miss(let candidate, let isLocalHost):
            if options.routing == .hostOrPath, isLocalHost, let name = catalog.defaultTenant {
                return serve(name, request, bytes, keepAlive, out)
            }
            let text = candidate.map { "no tenant named \($0)\n" } ?? "no tenant for this host or path\n"
            HTTPResponseWriter.writeText(status: 404, text, keepAlive: keepAlive, isHead: request.isHead, into: out)
            return 404
        }
    }

    /// Hands the CPU-limit stops of the tenant in `slot` that the penalty box has not counted
    /// yet (its last request's, or an entry's after an await) to `penalise`; true if there were any.
    @discardableResult
    private func countNewStops(_ slot: Int) -> Bool {
        let stops = live[slot].isolate.cpuLimitStops
        guard stops != live[slot].stopsPenalised else { return false }
        live[slot].stopsPenalised = stops
        penalise(live[slot].name)
        return true
    }

    private func serve(_ name: String, _ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer,
                       _ keepAlive: Bool, _ out: OutputBuffer) -> Int {
        if !penalties.isEmpty, let status = refuseIfBoxed(name, request, keepAlive, out) { return status }
        switch states[name] {
        case .live(let slot):
            live.touch(slot)
            let isolate = live[slot].isolate
            if countNewStops(slot), let status = refuseIfBoxed(name, request, keepAlive, out) { return status }
            let mark = out.count
            let probation = !penalties.isEmpty && beginProbation(name, isolate)
            let status = isolate.handle(request, in: bytes, keepAlive: keepAlive, response: currentResponse, into: out)
            if probation { endProbation(isolate) }
            countNewStops(slot)
            return afterRequest(slot, status, request, keepAlive, out, mark)
        case .failed(let reason):
            logger.tenant(name).error("script failed to load: \(reason)")
            HTTPResponseWriter.writeText(status: 500, "Internal Server Error\n", keepAlive: keepAlive,
                                         isHead: request.isHead, into: out)
            return 500
        case nil:
            return coldStart(name, request, bytes, keepAlive, out)
        }
    }

    private func coldStart(_ name: String, _ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer,
                           _ keepAlive: Bool, _ out: OutputBuffer) -> Int {
        if options.maxTenants > 0 {
            while live.count >= options.maxTenants, let victim = live.leastRecent {
                stats.evictionsByCountTotal += 1
                evict(victim)
            }
        }
        var timing = ColdStart(tenant: name)
        let cpuStart = threadCPUNanos()
        let isolate: Isolate
        if let pooled = takePooled() {
            let t = Int(monotonicNanos())
            pooled.adopt(name: name)
            isolate = pooled
            timing.pooled = true
            timing.contextCreateNanos = Int(monotonicNanos()) - t
            stats.pooledColdStartsTotal += 1
            stats.poolSize = pool.count
        } else {
            guard admitContext(for: name) else {
                HTTPResponseWriter.writeText(status: 503, "tenant could not be started: the process is at its memory-mapping limit\n",
                                             keepAlive: keepAlive, isHead: request.isHead, into: out)
                return 503
            }
            do {
                isolate = try Isolate(name: name, cpuLimitMs: options.cpuLimitMs, sharedGroup: sharedGroup, logger: logger, coldStart: &timing)
            } catch {
                stats.isolateStartFailuresTotal += 1
                mapBudget.contextReleased()
                logger.tenant(name).error("could not create the isolate: \(error); request answered 503, the next one tries again")
                HTTPResponseWriter.writeText(status: 503, "tenant could not be started\n", keepAlive: keepAlive,
                                             isHead: request.isHead, into: out)
                return 503
            }
        }
        do {
            let t = Int(monotonicNanos())
            let script = try catalog.script(for: name)
            try isolate.load(script: script)
            timing.scriptEvaluateNanos = Int(monotonicNanos()) - t
        } catch {
            states[name] = .failed(error.message)
            return serve(name, request, bytes, keepAlive, out)
        }
        isolate.async.requestTimeoutNanos = Int64(options.requestTimeoutMs) * 1_000_000
        isolate.async.policy = options.subrequests
        isolate.async.pool = backendPool
        let slot = live.insert(LiveTenant(name: name, isolate: isolate, heapCapacityBytes: 0, requestsSinceReading: 0))
        states[name] = .live(slot)
        stats.liveTenants = live.count
        let t = Int(monotonicNanos())
        let cpuAtHandler = threadCPUNanos()
        timing.toHandlerCPUNanos = Int(cpuAtHandler - cpuStart)
        let mark = out.count
        var status = isolate.handle(request, in: bytes, keepAlive: keepAlive, response: currentResponse, into: out)
        timing.firstCallNanos = Int(monotonicNanos()) - t
        timing.firstCallCPUNanos = Int(threadCPUNanos() - cpuAtHandler)
        countNewStops(slot)
        status = afterRequest(slot, status, request, keepAlive, out, mark)
        if case .live(let s) = states[name], s == slot, options.maxTenantMemoryBytes > 0 {
            // A new tenant's heap is read once so the memory cap counts it from the start.
            readHeap(slot)
            enforceMemoryCap(keeping: slot)
        }
        stats.coldStartsTotal += 1
        if coldStarts.count >= Self.coldStartRecordsMax { coldStarts.removeFirst(Self.coldStartRecordsMax / 2) }
        coldStarts.append(timing)
        onColdStart?(timing)
        return status
    }

    /// After each request: drops a broken isolate, and enforces the per-tenant heap limit. A
    /// tenant over it has its response (already written after `mark`) replaced by a 503, and
    /// its isolate is dropped, so the next request recreates it. JSC offers no allocation
    /// limit, so the request that crossed the limit is the one that learns of it.
    private func afterRequest(_ slot: Int, _ status: Int, _ request: HTTPRequest, _ keepAlive: Bool,
                              _ out: OutputBuffer, _ mark: Int) -> Int {
        let isolate = live[slot].isolate
        if status == Isolate.pendingStatus { return status }
        if isolate.isBroken {
            evict(slot)
            return status
        }
        live[slot].requestsSinceReading += 1
        // A request stopped at the CPU limit may have been an allocation spree: read at once.
        guard options.tenantHeapBytes > 0,
              live[slot].requestsSinceReading >= max(1, options.heapCheckEveryRequests) || status == 503 else { return status }
        let heap = readHeap(slot)
        guard heap > options.tenantHeapBytes else { return status }
        let name = live[slot].name
        logger.tenant(name).warning("tenant memory limit exceeded: heap \(heap / 1024) KiB > limit \(options.tenantHeapBytes / 1024) KiB; request answered 503, isolate dropped (recreated on the next request)")
        out.count = mark
        HTTPResponseWriter.writeText(status: 503, "tenant memory limit exceeded\n", keepAlive: keepAlive,
                                     isHead: request.isHead, into: out)
        stats.heapLimitStopsTotal += 1
        evict(slot)
        return 503
    }

    /// Reads a live tenant's heap capacity and updates the tracked total.
    @discardableResult
    private func readHeap(_ slot: Int) -> Int {
        let heap = live[slot].isolate.heapCapacityBytes()
        stats.trackedHeapCapacityBytes += heap - live[slot].heapCapacityBytes
        live[slot].heapCapacityBytes = heap
        live[slot].requestsSinceReading = 0
        stats.heapReadingsTotal += 1
        return heap
    }

    /// Evicts least-recently-used tenants (never `keeping`) while the tracked total exceeds
    /// `maxTenantMemoryBytes`.
    private func enforceMemoryCap(keeping: Int?) {
        let cap = options.maxTenantMemoryBytes
        guard cap > 0 else { return }
        while stats.trackedHeapCapacityBytes > cap, let victim = live.leastRecent, victim != keeping {
            logger.tenant(live[victim].name).notice("evicted: tenants' heaps total \(stats.trackedHeapCapacityBytes / 1024) KiB > cap \(cap / 1024) KiB")
            stats.evictionsByMemoryTotal += 1
            evict(victim)
        }
    }

    /// Asks the mapping budget for one more context; on a refusal counts it and logs (at most
    /// once a second, with the count since the last line) what to change.
    private func admitContext(for who: String) -> Bool {
        if mapBudget.admitContext() { return true }
        stats.mapLimitRefusalsTotal += 1
        let now = Int(monotonicNanos())
        if now - mapRefusalLoggedNanos >= 1_000_000_000 || mapRefusalLoggedNanos == 0 {
            mapRefusalLoggedNanos = now
            logger.error("no new context for \(who): the process holds \(mapBudget.counted) memory mappings, vm.max_map_count is \(mapBudget.limit) (\(mapBudget.headroom) kept free); \(stats.mapLimitRefusalsTotal) refused so far. Raise it (sysctl -w vm.max_map_count=262144), bound tenants with --max-tenants (LRU eviction), or use --isolate-group per-loop")
        }
        return false
    }

    /// Forgets a live tenant; releasing the Isolate releases its global context and context
    /// group (JSGlobalContextRelease, JSContextGroupRelease). Its next request is a cold start.
    private func evict(_ slot: Int) {
        let tenant = live.remove(slot)
        states[tenant.name] = nil
        mapBudget.contextReleased()
        stats.trackedHeapCapacityBytes -= tenant.heapCapacityBytes
        stats.liveTenants = live.count
    }

    private static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
