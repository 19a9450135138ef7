// RequestLimitFlags: the HTTP request limits and timeouts, one option group shared by `serve`
// and `worker` (a worker process gets its front's values).
import ArgumentParser
import EventCore
import HTTP1

struct RequestLimitFlags: ParsableArguments {
    @Option(help: "Largest request head (request line and headers) in bytes; past it: 431 (414 for the request line).")
    var maxHeaderBytes = 16 * 1024

    @Option(help: "Most header fields in one request; past it: 431.")
    var maxHeaderCount = 100

    @Option(help: "Largest request body in bytes; past it: 413.")
    var maxBodyBytes = 1024 * 1024

    @Option(help: "Seconds an idle keep-alive connection (or a new one that sends nothing) is kept; 0 = forever. With --io blocking a connection thread's read(2) and send(2) return once a second (SO_RCVTIMEO, SO_SNDTIMEO) so this and the timeouts below hold there too.")
    var idleTimeoutS = 60

    @Option(help: "Seconds for a whole request head, from its first byte (nginx's client_header_timeout); past it: 408 and close. 0 = none.")
    var headerTimeoutS = 60

    @Option(help: "Longest pause in seconds between two reads of a request body (nginx's client_body_timeout); past it: 408 and close. 0 = none.")
    var bodyTimeoutS = 60

    @Option(help: "Seconds a response may wait for a client that reads nothing of it (nginx's send_timeout); past it the connection is dropped. 0 = none.")
    var sendTimeoutS = 60

    @Option(help: "On SIGTERM or SIGINT: seconds to finish the requests already received before exiting (a second signal exits at once).")
    var drainTimeoutS = 30

    func validate() throws {
        guard maxHeaderBytes >= 256 else { throw ValidationError("--max-header-bytes must be at least 256, got \(maxHeaderBytes)") }
        guard maxHeaderCount >= 1 else { throw ValidationError("--max-header-count must be at least 1") }
        guard maxBodyBytes >= 0 else { throw ValidationError("--max-body-bytes must not be negative") }
        for (flag, value) in [("--idle-timeout-s", idleTimeoutS), ("--header-timeout-s", headerTimeoutS),
                              ("--body-timeout-s", bodyTimeoutS), ("--send-timeout-s", sendTimeoutS), ("--drain-timeout-s", drainTimeoutS)] where value < 0 {
            throw ValidationError("\(flag) must not be negative, got \(value)")
        }
    }

    var limits: HTTPLimits {
        HTTPLimits(maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes)
    }

    /// Writes the limits and timeouts into a loop's options.
    func apply(to options: inout LoopOptions) {
        options.limits = limits
        options.idleTimeoutSeconds = idleTimeoutS
        options.timeouts.headerSeconds = headerTimeoutS
        options.timeouts.bodySeconds = bodyTimeoutS
        options.timeouts.sendSeconds = sendTimeoutS
    }

    /// The same flags as command-line arguments (a worker process gets its front's limits).
    var arguments: [String] {
        ["--max-header-bytes", "\(maxHeaderBytes)", "--max-header-count", "\(maxHeaderCount)",
         "--max-body-bytes", "\(maxBodyBytes)", "--idle-timeout-s", "\(idleTimeoutS)",
         "--header-timeout-s", "\(headerTimeoutS)", "--body-timeout-s", "\(bodyTimeoutS)",
         "--send-timeout-s", "\(sendTimeoutS)", "--drain-timeout-s", "\(drainTimeoutS)"]
    }
}
