// AsyncFlags: limits of handlers that await real work (timers, subrequests), shared by `serve`
// and `worker` (a worker process gets its front's values).
import ArgumentParser
import Isolates

struct AsyncFlags: ParsableArguments {
    @Option(help: "Wall-clock time one request may stay pending (awaiting timers or subrequests), in milliseconds; past it the client gets 504. 0 = no limit.")
    var requestTimeoutMs = 30_000

    func validate() throws {
        guard requestTimeoutMs >= 0 else { throw ValidationError("--request-timeout-ms must not be negative, got \(requestTimeoutMs)") }
    }

    func apply(to o: inout IsolateOptions) {
        o.requestTimeoutMs = requestTimeoutMs
    }

    /// The same flags as command-line arguments, for worker processes.
    var arguments: [String] {
        ["--request-timeout-ms", "\(requestTimeoutMs)"]
    }
}
