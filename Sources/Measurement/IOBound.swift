// IOBound: the I/O-bound experiment's figures (Scripts/measure-io-bound --json), one row per handler and mode, medians over repetitions.
import Foundation

/// One row of one `Scripts/measure-io-bound --json` run: a handler that fetch()es from
/// `isoring origin`, under one I/O engine and isolation model. The script measures it from
/// outside (perf stat -p on the server, its workers and the origin; /proc for CPU; the
/// engine's own io_uring counters), so the origin's syscalls are counted too, which the
/// server's own window cannot see.
public struct IOBoundSample: Sendable, Codable, Equatable {
    /// "proxy" (1 subrequest per request) or "fanout" (4 in parallel).
    public var handler: String
    public var io: String
    public var isolation: String
    public var seconds: Double
    public var connections: Int
    public var requests: UInt64
    public var non2xx: UInt64
    public var requestsPerSecond: Double
    /// Server (front and workers) CPU per request, µs, from /proc/PID/stat ticks.
    public var userMicrosPerRequest: Double
    public var kernelMicrosPerRequest: Double
    public var serverSyscallsPerRequest: Double
    public var originSyscallsPerRequest: Double
    public var serverContextSwitchesPerRequest: Double
    /// The server engine's own counters; nil when it is not io_uring.
    public var ioUringEntersPerRequest: Double?
    public var sqesPerEnter: Double?

    public init(handler: String, io: String, isolation: String, seconds: Double, connections: Int, requests: UInt64, non2xx: UInt64,
                requestsPerSecond: Double, userMicrosPerRequest: Double, kernelMicrosPerRequest: Double,
                serverSyscallsPerRequest: Double, originSyscallsPerRequest: Double, serverContextSwitchesPerRequest: Double,
                ioUringEntersPerRequest: Double? = nil, sqesPerEnter: Double? = nil) {
        self.handler = handler
        self.io = io
        self.isolation = isolation
        self.seconds = seconds
        self.connections = connections
        self.requests = requests
        self.non2xx = non2xx
        self.requestsPerSecond = requestsPerSecond
        self.userMicrosPerRequest = userMicrosPerRequest
        self.kernelMicrosPerRequest = kernelMicrosPerRequest
        self.serverSyscallsPerRequest = serverSyscallsPerRequest
        self.originSyscallsPerRequest = originSyscallsPerRequest
        self.serverContextSwitchesPerRequest = serverContextSwitchesPerRequest
        self.ioUringEntersPerRequest = ioUringEntersPerRequest
        self.sqesPerEnter = sqesPerEnter
    }
}

/// One handler in one mode: medians over the study's repetitions, with min–max.
public struct IOBoundRow: Sendable, Codable, Equatable {
    public var handler: String
    public var io: String
    public var isolation: String
    public var runs: Int
    public var connections: Int
    public var requestsPerSecond: Spread
    public var userMicrosPerRequest: Spread
    public var kernelMicrosPerRequest: Spread
    /// kernel / (user + kernel) of the server's CPU per request.
    public var kernelShareOfCPU: Spread
    public var serverSyscallsPerRequest: Spread
    public var originSyscallsPerRequest: Spread
    /// Server and origin together: what the "at most 0.2 including the backend side" counts.
    public var totalSyscallsPerRequest: Spread
    public var serverContextSwitchesPerRequest: Spread
    public var ioUringEntersPerRequest: Spread?
    public var sqesPerEnter: Spread?
    public var non2xx: UInt64

    /// The server's whole CPU per request (user + kernel), µs.
    public var cpuMicrosPerRequest: Spread {
        var s = Spread(userMicrosPerRequest.median + kernelMicrosPerRequest.median)
        s.min = userMicrosPerRequest.min + kernelMicrosPerRequest.min
        s.max = userMicrosPerRequest.max + kernelMicrosPerRequest.max
        s.count = runs
        return s
    }

    /// Rows from every repetition's samples, grouped by handler and mode in order of first
    /// appearance; a sample without a response is left out (the caller names it missing).
    public static func rows(_ samples: [IOBoundSample]) -> [IOBoundRow] {
        var order: [String] = []
        var groups: [String: [IOBoundSample]] = [:]
        for s in samples where s.requests > 0 {
            let key = "\(s.handler) \(s.io) \(s.isolation)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(s)
        }
        return order.map { key in
            let g = groups[key]!
            func spread(_ f: (IOBoundSample) -> Double) -> Spread { Spread(g.map(f))! }
            func optional(_ f: (IOBoundSample) -> Double?) -> Spread? { Spread(g.compactMap(f)) }
            return IOBoundRow(
                handler: g[0].handler, io: g[0].io, isolation: g[0].isolation, runs: g.count, connections: g[0].connections,
                requestsPerSecond: spread(\.requestsPerSecond), userMicrosPerRequest: spread(\.userMicrosPerRequest),
                kernelMicrosPerRequest: spread(\.kernelMicrosPerRequest),
                kernelShareOfCPU: spread { s in
                    let all = s.userMicrosPerRequest + s.kernelMicrosPerRequest
                    return all > 0 ? s.kernelMicrosPerRequest / all : 0
                },
                serverSyscallsPerRequest: spread(\.serverSyscallsPerRequest), originSyscallsPerRequest: spread(\.originSyscallsPerRequest),
                totalSyscallsPerRequest: spread { $0.serverSyscallsPerRequest + $0.originSyscallsPerRequest },
                serverContextSwitchesPerRequest: spread(\.serverContextSwitchesPerRequest),
                ioUringEntersPerRequest: optional(\.ioUringEntersPerRequest), sqesPerEnter: optional(\.sqesPerEnter),
                non2xx: g.reduce(0) { $0 + $1.non2xx })
        }
    }
}

/// What the "up to a third" verdict compares, for one handler: the conventional design (a
/// process per tenant whose worker makes blocking syscalls) against the isolate on the ring.
public struct IOBoundComparison: Sendable, Equatable {
    public var handler: String
    public var process: IOBoundRow
    public var isolate: IOBoundRow

    /// The kernel time per request the isolate-plus-ring design removes, as a share of the
    /// process's whole CPU per request: (kernel_process - kernel_isolate) / (user + kernel)_process.
    public var removedShare: Spread {
        let p = process, i = isolate
        func share(_ pk: Double, _ pu: Double, _ ik: Double) -> Double { pk + pu > 0 ? (pk - ik) / (pk + pu) : 0 }
        var s = Spread(share(p.kernelMicrosPerRequest.median, p.userMicrosPerRequest.median, i.kernelMicrosPerRequest.median))
        s.min = share(p.kernelMicrosPerRequest.min, p.userMicrosPerRequest.max, i.kernelMicrosPerRequest.max)
        s.max = share(p.kernelMicrosPerRequest.max, p.userMicrosPerRequest.min, i.kernelMicrosPerRequest.min)
        s.count = max(p.runs, i.runs)
        return s
    }

    /// Per handler: the isolate on io_uring, and the process model with blocking I/O (its
    /// workers make blocking calls whatever the front's engine, so any process row stands in
    /// when the study ran no `--io blocking` process mode).
    public static func pairs(_ rows: [IOBoundRow]) -> [IOBoundComparison] {
        var handlers: [String] = []
        for r in rows where !handlers.contains(r.handler) { handlers.append(r.handler) }
        return handlers.compactMap { h in
            let mine = rows.filter { $0.handler == h }
            guard let iso = mine.first(where: { $0.isolation == "isolate" && $0.io == "uring" }),
                  let proc = mine.first(where: { $0.isolation == "process" && $0.io == "blocking" })
                      ?? mine.first(where: { $0.isolation == "process" }) else { return nil }
            return IOBoundComparison(handler: h, process: proc, isolate: iso)
        }
    }
}
