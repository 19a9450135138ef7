// WorkersAPIFlags: operator settings of the Workers API (`request.cf`, the `caches` cap), one
// option group shared by `serve` and `worker`.
import ArgumentParser
import Isolates

struct WorkersAPIFlags: ParsableArguments {
    @Option(help: ArgumentHelp("request.cf fields every request gets, as name=value pairs (e.g. colo=AMS,country=NL,asn=64500); without it request.cf is an empty object.",
                               valueName: "fields"))
    var cf: String?

    @Option(help: "Most bytes of response bodies one tenant's `caches` (caches.default and caches.open) keep, in MiB; least recently used entries go first.")
    var cacheMb = 16

    func validate() throws {
        guard cacheMb >= 0 else { throw ValidationError("--cache-mb must not be negative, got \(cacheMb)") }
        _ = try cfJSON()
    }

    /// The --cf pairs as a JSON object; `asn` and other all-digit values of numeric fields
    /// become numbers, as Workers give them.
    func cfJSON() throws -> String {
        guard let cf, !cf.isEmpty else { return "{}" }
        var fields: [String] = []
        for pair in cf.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let first = parts[0].first, first.isLetter,
                  parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ValidationError("--cf: expected name=value pairs separated by commas, got \"\(pair)\"")
            }
            let numeric = ["asn", "latitude", "longitude", "clientTcpRtt"].contains(parts[0]) && Double(parts[1]) != nil
            let escaped = parts[1].replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            fields.append("\"\(parts[0])\":" + (numeric ? parts[1] : "\"\(escaped)\""))
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Sets the process-wide prelude settings; call before the first isolate is made.
    func apply() throws {
        PreludeSettings.cfJSON = try cfJSON()
        PreludeSettings.cacheCapBytes = cacheMb << 20
    }

    /// The same flags as command-line arguments (a worker process gets its front's settings).
    var arguments: [String] {
        (cf.map { ["--cf", $0] } ?? []) + ["--cache-mb", "\(cacheMb)"]
    }
}
