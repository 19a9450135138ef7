// Isolate: one tenant's JSC context group and global context, its prelude, handler and dispatch.
import Platform
import Glibc
import HTTP1
import JSCGlue
import Logging
import Tenants
import Responding

/// One tenant's JavaScript world. Its own context group means its own heap, GC and CPU
/// watchdog: nothing (globals, built-in prototypes) is shared with another tenant. Created
/// either for a tenant on its first request, or ahead of time for the prewarm pool with no
/// tenant (`name` empty) and handed to one later (`adopt`).
final class Isolate {
    /// The tenant's name; empty while the isolate waits in the prewarm pool.
    private(set) var name: String
    let group: JSCContextGroup
    let context: JSCContext
    /// Lines carry the tenant's name (set at creation, or when a pooled isolate is adopted).
    private(set) var logger: Logger
    let cpuLimitMs: Int
    let settler = ResponseSettler()
    /// Timers and subrequests outstanding, and whom the running JavaScript works for.
    let async = IsolateAsync()
    /// The last response header block native.respond received, in UTF-8 (the prelude sends
    /// `undefined` when a response repeats it), and its last string body of up to
    /// `sentBodyBytesMax` bytes (the prelude sends `true` when a response repeats it).
    var headerScratch: [UInt8] = []
    var sentBody: [UInt8] = []
    /// What the last dispatch passed to the prelude (Isolate+RequestValues.swift).
    var requestMemo = RequestValueMemo()
    /// Prelude hooks, protected for the isolate's lifetime (cached: no lookup per request).
    private var dispatchFn: JSCValue
    private var fireTimerFn: JSCValue
    private var clearTimersFn: JSCValue
    /// Set by the prelude's setTimeout through `native.timerArmed`, so a request that armed
    /// no timer pays no timer calls.
    var timersArmed = false
    /// Bytes for the request strings (URL, header block), reused across requests.
    var scratch: [UInt8] = []
    /// The most timers one request may fire (a runaway setInterval stops here).
    static let maxTimerFiresPerRequest = 1000

    /// Creates the context and installs the prelude; `load` then runs the tenant's script.
    /// `name` is empty for a pooled isolate (see `adopt`).
    /// `sharedGroup`: the loop's group when tenants share one (its limit is already set);
    /// nil gives the isolate a group of its own.
    /// Throws when the context cannot come up (the prelude failed: a watchdog stop on a shared
    /// group, JavaScriptCore out of memory); the caller answers that request 503 and logs it.
    init(name: String, cpuLimitMs: Int, sharedGroup: JSCContextGroup? = nil,
         logger: Logger, coldStart: inout ColdStart) throws(IsolateStartError) {
        self.name = name
        self.logger = name.isEmpty ? logger : logger.tenant(name)
        self.cpuLimitMs = cpuLimitMs
        var t = Int(monotonicNanos())
        // An own group gets its CPU limit after the prelude is in (below): the prelude is ours,
        // and a loaded machine must not turn its install into a watchdog stop.
        group = sharedGroup ?? JSCContextGroup()
        if sharedGroup == nil { coldStart.groupCreateNanos = Int(monotonicNanos()) - t }
        context = JSCContext(group: group)
        dispatchFn = context.undefined
        fireTimerFn = context.undefined
        clearTimersFn = context.undefined
        scratch.reserveCapacity(4096)
        var now = Int(monotonicNanos())
        coldStart.contextCreateNanos = now - t
        t = now
        try installPrelude()
        if sharedGroup == nil && cpuLimitMs > 0 { group.setExecutionTimeLimit(seconds: Double(cpuLimitMs) / 1000) }
        now = Int(monotonicNanos())
        coldStart.preludeInstallNanos = now - t
    }

    /// Changes the CPU limit of this isolate's group (the penalty box's probation); the 503's
    /// log line names the limit in force.
    func setCPULimit(ms: Int) {
        cpuLimitMsInForce = ms
        group.setExecutionTimeLimit(seconds: Double(ms) / 1000)
    }
    private var cpuLimitMsInForce: Int?

    /// Gives a pooled isolate to tenant `name` (before `load`).
    func adopt(name: String) {
        precondition(self.name.isEmpty, "isolate already belongs to \(self.name)")
        self.name = name
        logger = logger.tenant(name)
    }

    /// Runs the prelude's request and response paths once with no tenant (see `warmUp` in
    /// the prelude), so a pooled isolate's first real request compiles only tenant code.
    func warmUp() {
        guard let fn = warmUpFn else { return }
        group.terminationRequested = false
        _ = try? context.call(fn)
        context.unprotect(fn)
        warmUpFn = nil
    }
    private var warmUpFn: JSCValue? = nil

    /// JSC's `heapCapacity` for this isolate's group (bytes in heap blocks plus extra memory).
    func heapCapacityBytes() -> Int { context.heapCapacityBytes() }

    deinit {
        context.unprotect(dispatchFn)
        context.unprotect(fireTimerFn)
        context.unprotect(clearTimersFn)
        if let fn = async.fireTimerFn { context.unprotect(fn) }
        if let installFn { context.unprotect(installFn) }
        if let warmUpFn { context.unprotect(warmUpFn) }
    }

    private func installPrelude() throws(IsolateStartError) {
        let ctx = context
        group.terminationRequested = false
        do {
            try FaultInjection.preludeInstall()
            let factory = try ctx.evaluate(PreludeScripts.workers, sourceURL: PreludeScripts.workersURL)
            try installClock()
            let hooks = try ctx.call(factory, makeNativeBridge())
            dispatchFn = ctx.property(hooks, "dispatch")
            fireTimerFn = ctx.property(hooks, "fireTimer")
            clearTimersFn = ctx.property(hooks, "clearTimers")
            ctx.protect(dispatchFn)
            ctx.protect(fireTimerFn)
            ctx.protect(clearTimersFn)
            let fireById = ctx.property(hooks, "fireTimerById")
            ctx.protect(fireById)
            async.fireTimerFn = fireById
            ctx.setUnhandledRejectionCallback(ctx.property(hooks, "onUnhandledRejection"))
            let install = ctx.property(hooks, "install")
            ctx.protect(install)
            installFn = install
            let warm = ctx.property(hooks, "warmUp")
            ctx.protect(warm)
            warmUpFn = warm
        } catch {
            // The prelude is ours, so this is the machine (memory, a watchdog stop on a shared
            // group under load), not the tenant: that request gets a 503, the process goes on.
            let cause = error.terminated || group.terminationRequested ? "stopped by the CPU limit" : error.description
            throw IsolateStartError("the Workers prelude failed to install (\(cause))")
        }
    }
    var installFn: JSCValue? = nil

    /// Evaluates the URL prelude, on the first read of `URL` or `URLSearchParams` (the prelude
    /// defines both as accessors that call this through `native.loadURL`).
    private func loadURLPrelude() {
        guard !urlLoaded else { return }
        do {
            _ = try context.evaluate(PreludeScripts.url, sourceURL: PreludeScripts.urlURL)
            urlLoaded = true
        } catch {
            // URL stays undefined for this request; the handler's TypeError becomes its 500.
            if !(error.terminated || group.terminationRequested) { logger.error("URL prelude failed to install: \(error)") }
        }
    }
    private var urlLoaded = false

    // MARK: dispatch

    /// What `handle` returns for a request left pending (answered later through its handle).
    static let pendingStatus = 0

    /// Runs the handler for one request and writes its response to `out`; returns the status,
    /// or `pendingStatus` when the handler awaits real work on `response`'s loop (see
    /// Isolate+Async.swift) and will answer through `response`.
    func handle(_ request: HTTPRequest, in bytes: UnsafeRawBufferPointer, keepAlive: Bool,
                response: ResponseHandle? = nil, into out: OutputBuffer) -> Int {
        let ctx = context
        requestClockMs = Self.wallClockMs()
        let id = settler.begin(out: out, keepAlive: keepAlive, isHead: request.isHead)
        async.request = id
        async.response = response
        let started: Int64 = response == nil ? 0 : threadCPUNanos()
        group.terminationRequested = false
        // One acquisition of the VM's lock for the values and the call (see withAPILock);
        // microtasks drain when it is released, before the settlement checks below.
        let thrown = ctx.withAPILock { () -> JSCError? in
            let method = methodValue(request, bytes)
            let (prefix, target) = urlValues(request, bytes)
            let headers = headerBlockValue(request, bytes)
            let body = request.body.isEmpty ? ctx.null
                : ctx.uint8Array(copying: UnsafeRawBufferPointer(rebasing: bytes[request.body]))
            do throws(JSCError) {
                _ = try ctx.call6(dispatchFn, ctx.number(id), method, prefix, target, headers, body)
                return nil
            } catch {
                return error
            }
        }
        if let thrown {
            // dispatch catches everything JavaScript can catch; what escapes is a termination,
            // which may have come before the prelude kept this request's strings.
            requestMemo.forget()
            failed(id, thrown)
        }
        async.response = nil
        runTimers(until: id)
        if !settler.isSettled(id) {
            if !group.terminationRequested && goPending(id, response: response, started: started) {
                return Self.pendingStatus
            }
            if group.terminationRequested {
                cpuLimitExceeded(id)
            } else {
                logger.error("handler did not settle: its promise was still pending after all microtasks and timers ran")
                settler.completeText(id, status: 500, "handler did not settle\n")
            }
        }
        return settler.end(id) ?? 500
    }

    /// Fires timers on virtual time: while the response is pending, the earliest timer (so a
    /// handler awaiting setTimeout continues); once settled, only timers already due
    /// (delay 0 relative to the virtual clock). Whatever is left is dropped.
    private func runTimers(until id: Int) {
        guard timersArmed else { return }
        let ctx = context
        var fired = 0
        while fired < Self.maxTimerFiresPerRequest && !group.terminationRequested {
            let onlyDue = settler.isSettled(id)
            let didFire: Bool
            do { didFire = ctx.toBool(try ctx.call(fireTimerFn, ctx.boolean(onlyDue))) } catch {
                failed(id, error)
                break
            }
            if !didFire { break }
            fired += 1
        }
        _ = try? ctx.call(clearTimersFn)
        timersArmed = false
    }

    func cpuLimitExceeded(_ id: Int) {
        cpuLimitStops += 1
        let limit = cpuLimitMsInForce ?? cpuLimitMs
        logger.warning("CPU time limit exceeded (\(limit) ms\(limit < cpuLimitMs ? ", on probation" : "")): request stopped")
        settler.completeText(id, status: 503, "CPU time limit exceeded\n")
        if !recoverAfterTermination() {
            isBroken = true
            logger.warning("isolate unusable after the CPU limit stopped it; it will be recreated")
        }
    }

    /// The time this request's code sees (Isolate+Clock), set when the request is dispatched.
    var requestClockMs: Double = 0

    /// Requests this isolate answered 503 for the CPU limit (the runtime's penalty box reads it).
    private(set) var cpuLimitStops = 0

    /// True when the context can no longer run code; the runtime then drops this isolate and
    /// the next request creates a new one (a cold start).
    private(set) var isBroken = false

    /// A termination inside a direct API call leaves the context usable. One that lands while
    /// JSC drains microtasks (when the outermost call releases the VM lock) leaves the
    /// termination pending: the next entry throws "JavaScript execution terminated." at once
    /// and that clears it. So: probe with a trivial script until it runs (at most twice).
    private func recoverAfterTermination() -> Bool {
        for _ in 0..<2 {
            group.terminationRequested = false
            if (try? context.evaluate("0")) != nil { return true }
        }
        return false
    }

    func failed(_ id: Int, _ error: JSCError) {
        if error.terminated || group.terminationRequested { cpuLimitExceeded(id); return }
        logger.error("Uncaught \(error.description)")
        settler.completeText(id, status: 500, "Internal Server Error\n")
    }

    // MARK: native bridge

    /// The object the prelude receives as `native`. Closures hold the isolate unowned: the
    /// isolate owns the context, which owns these functions.
    private func makeNativeBridge() -> JSCValue {
        let ctx = context
        let bridge = ctx.makeObject()
        ctx.setProperty(bridge, "log", ctx.makeFunction { [unowned self] args in
            let level = args.context.toInt(args[0])
            // A line below the log level costs no string conversion.
            guard self.logger.logLevel <= Logger.consoleLevel(level) else { return args.context.undefined }
            self.logger.console(level: level, args.context.toString(args[1]))
            return args.context.undefined
        })
        ctx.setProperty(bridge, "respond", ctx.makeFunction { [unowned self] args in self.respond(args) })
        ctx.setProperty(bridge, "fail", ctx.makeFunction { [unowned self] args in
            let c = args.context
            self.failed(c.toInt(args[0]), c.error(from: args[1]))
            return c.undefined
        })
        ctx.setProperty(bridge, "encode", ctx.makeFunction { args in
            let c = args.context
            return c.withUTF8(of: args[0]) { c.uint8Array(copying: $0) }
        })
        ctx.setProperty(bridge, "decode", ctx.makeFunction { args in
            let c = args.context
            guard let raw = c.bytes(of: args[0]) else { throw JSCThrow(c.makeError("decode: expected bytes")) }
            return c.string(utf8: UnsafeRawBufferPointer(raw))
        })
        ctx.setProperty(bridge, "random", ctx.makeFunction { args in
            let c = args.context
            if let raw = c.bytes(of: args[0]), raw.count > 0 { fillRandom(raw) }
            return args[0]
        })
        ctx.setProperty(bridge, "loadURL", ctx.makeFunction { [unowned self] args in
            self.loadURLPrelude()
            return args.context.undefined
        })
        addAsyncBridge(to: bridge)
        addFetchBridge(to: bridge)
        addStreamBridge(to: bridge)
        addExtensionBridge(to: bridge)
        return bridge
    }
}

/// Random bytes from the kernel: Swift's SystemRandomNumberGenerator calls getrandom(2) on
/// Linux (Glibc's module map does not export getrandom itself, and Isolates imports no C shim).
func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
    var rng = SystemRandomNumberGenerator()
    var i = 0
    while i + 8 <= buffer.count {
        buffer.storeBytes(of: rng.next(), toByteOffset: i, as: UInt64.self)
        i += 8
    }
    if i < buffer.count {
        var last = rng.next()
        withUnsafeBytes(of: &last) { tail in
            for j in i..<buffer.count { buffer[j] = tail[j - i] }
        }
    }
}
