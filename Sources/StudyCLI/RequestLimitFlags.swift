// RequestLimitFlags: the HTTP request limits, one option group shared by `serve` and `worker`.
import ArgumentParser
import HTTP1

struct RequestLimitFlags: ParsableArguments {
    @Option(help: "Largest request head (request line and headers) in bytes; past it: 431 (414 for the request line).")
    var maxHeaderBytes = 16 * 1024

    @Option(help: "Most header fields in one request; past it: 431.")
    var maxHeaderCount = 100

    @Option(help: "Largest request body in bytes; past it: 413.")
    var maxBodyBytes = 1024 * 1024

    func validate() throws {
        guard maxHeaderBytes >= 256 else { throw ValidationError("--max-header-bytes must be at least 256, got \(maxHeaderBytes)") }
        guard maxHeaderCount >= 1 else { throw ValidationError("--max-header-count must be at least 1") }
        guard maxBodyBytes >= 0 else { throw ValidationError("--max-body-bytes must not be negative") }
    }

    var limits: HTTPLimits {
        HTTPLimits(maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes)
    }

    /// The same flags as command-line arguments (a worker process gets its front's limits).
    var arguments: [String] {
        ["--max-header-bytes", "\(maxHeaderBytes)", "--max-header-count", "\(maxHeaderCount)",
         "--max-body-bytes", "\(maxBodyBytes)"]
    }
}
