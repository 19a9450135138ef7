// AsyncFlags: limits of handlers that await real work (timers, subrequests), shared by `serve`
// and `worker` (a worker process gets its front's values).
import ArgumentParser
import Isolates

struct AsyncFlags: ParsableArguments {
    @Option(help: "Wall-clock time one request may stay pending (awaiting timers or subrequests), in milliseconds; past it the client gets 504. 0 = no limit.")
    var requestTimeoutMs = 30_000

    @Option(help: "Backends fetch() may reach, as IPV4:PORT,... (only http://). Default: none, so a tenant reaches nothing.")
    var allowBackend = ""

    @Option(help: "fetch() calls one request may make (Workers' default: 50).")
    var maxSubrequests = 50

    func validate() throws {
        guard requestTimeoutMs >= 0 else { throw ValidationError("--request-timeout-ms must not be negative, got \(requestTimeoutMs)") }
        guard maxSubrequests >= 0 else { throw ValidationError("--max-subrequests must not be negative, got \(maxSubrequests)") }
        do { _ = try SubrequestPolicy.parseBackends(allowBackend) } catch { throw ValidationError("\(error)") }
    }

    func apply(to o: inout IsolateOptions) {
        o.requestTimeoutMs = requestTimeoutMs
        o.subrequests.maxSubrequests = maxSubrequests
        o.subrequests.allowedBackends = (try? SubrequestPolicy.parseBackends(allowBackend)) ?? []
    }

    /// The same flags as command-line arguments, for worker processes.
    var arguments: [String] {
        ["--request-timeout-ms", "\(requestTimeoutMs)", "--max-subrequests", "\(maxSubrequests)",
         "--allow-backend", allowBackend]
    }
}
