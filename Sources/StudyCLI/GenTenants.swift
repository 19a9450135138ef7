// `isoring gen-tenants`: writes N small tenant scripts so a load mix has tenants to hit.
import ArgumentParser
import Foundation

struct GenTenants: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen-tenants",
        abstract: "Write tenant scripts t0.js ... t{N-1}.js (module form, each returning a short text).")

    @Argument(help: "Folder to write into (created if missing).")
    var directory: String

    @Option(help: "How many tenants.")
    var count = 100

    func run() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for k in 0..<count {
            let script = """
            export default {
              fetch(request, env, ctx) {
                return new Response("hello from tenant t\(k)\\n", { headers: { "content-type": "text/plain" } });
              },
            };

            """
            try script.write(toFile: "\(directory)/t\(k).js", atomically: false, encoding: .utf8)
        }
        print("wrote \(count) tenants to \(directory)")
    }
}
