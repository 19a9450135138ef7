// ContainmentTests: a tenant cannot reach another tenant, the host, or a fine clock, in every isolation model.
import Foundation
import TestSupport
import Testing

enum ContainmentTenants {
    static let scripts: [String: String] = [
        // Changes everything it can reach: globals and the built-ins' prototypes.
        "polluter": """
        export default { async fetch(request) {
          globalThis.secret = "polluter's";
          Object.prototype.polluted = "yes";
          Array.prototype.map = function () { return ["hijacked"]; };
          Promise.prototype.then = function () { return "hijacked"; };
          Response.prototype.text = async function () { return "hijacked"; };
          Response.json = function () { return new Response("hijacked"); };
          JSON.stringify = function () { return "hijacked"; };
          return new Response("polluted");
        } };
        """,
        // Reports what it sees of the above, of the host, and of the clock.
        "inspector": """
        export default { async fetch(request) {
          const r = new Response("body");
          const seen = {
            secret: typeof globalThis.secret,
            objectPolluted: ({}).polluted === undefined ? "clean" : "polluted",
            arrayMap: [1, 2].map(x => x * 2).join(","),
            promiseThen: await Promise.resolve(7).then(x => x + 1),
            responseText: await r.text(),
            host: ["require", "process", "Deno", "Bun", "module", "XMLHttpRequest", "importScripts", "readFile", "os", "std"]
              .filter(name => typeof globalThis[name] !== "undefined"),
            // WebSocket is there, as on Workers, but as a stub that refuses to connect.
            webSocket: (() => { try { new WebSocket("ws://127.0.0.1:9/"); return "opened"; } catch (e) { return "refused"; } })(),
          };
          let imported = "refused";
          try { await import("fs"); imported = "loaded"; } catch (e) {}
          seen.dynamicImport = imported;
          const d0 = Date.now(), p0 = performance.now(), n0 = new Date().getTime();
          let spins = 0; while (Date.now() === d0 && spins < 20000) spins++;
          seen.clockFrozen = Date.now() === d0 && performance.now() === p0 && new Date().getTime() === n0 && d0 === n0;
          seen.wholeMs = Number.isInteger(d0) && Number.isInteger(p0);
          seen.dateWorks = new Date(0).toISOString() === "1970-01-01T00:00:00.000Z" && new Date() instanceof Date;
          return Response.json(seen);
        } };
        """,
        "clock": """
        export default { async fetch(request) { return new Response(String(Date.now())); } };
        """,
    ]

    static let folder = TemporaryFolders.make("isoring-containment", files: scripts.jsFiles)
}

@Suite("issue 15: containment")
struct ContainmentTests {
    static let modes: [[String]] = [["--io", "epoll"], ["--io", "epoll", "--isolate-group", "per-loop"],
                                    ["--io", "blocking"], ["--io", "epoll", "--isolation", "process"],
                                    ["--io", "epoll", "--isolation", "cgi"]]
        + (IO.uring.skipReason == nil ? [["--io", "uring"], ["--io", "uring", "--isolation", "process"]] : [])

    /// The polluter runs first, twice; the
    /// inspector then sees pristine built-ins, no globals of the polluter, no host objects,
    /// no module loading, and a clock that stands still while it runs.
    @Test(arguments: modes)
    func tenantsCannotReachEachOtherTheHostOrAFineClock(_ flags: [String]) throws {
        let server = try ServerProcess(flags + ["--tenants", ContainmentTenants.folder])
        defer { server.stop() }
        // The polluter breaks its own realm (its Response travels through its hijacked
        // Promise.prototype.then), so it may get a 500; what matters is that nobody else sees it.
        for _ in 0..<2 { #expect([200, 500].contains(try request(server.port, "GET", "/polluter/").status)) }
        let r = try request(server.port, "GET", "/inspector/")
        #expect(r.status == 200, "\(r.text)\n\(server.log)")
        let seen = try #require(r.json, "\(r.text)")
        #expect(seen["secret"] as? String == "undefined")
        #expect(seen["objectPolluted"] as? String == "clean")
        #expect(seen["arrayMap"] as? String == "2,4")
        #expect(seen["promiseThen"] as? Int == 8)
        #expect(seen["responseText"] as? String == "body")
        #expect((seen["host"] as? [Any])?.isEmpty == true, "\(seen)")
        #expect(seen["webSocket"] as? String == "refused")
        #expect(seen["dynamicImport"] as? String == "refused")
        #expect(seen["clockFrozen"] as? Bool == true)
        #expect(seen["wholeMs"] as? Bool == true)
        #expect(seen["dateWorks"] as? Bool == true)
    }

    /// The clock moves between requests (it is the request's arrival time, not a constant).
    @Test func clockAdvancesBetweenRequests() throws {
        let server = try ServerProcess(["--io", "epoll", "--tenants", ContainmentTenants.folder])
        defer { server.stop() }
        let first = try #require(Double(try request(server.port, "GET", "/clock/").text))
        usleep(20_000)
        let second = try #require(Double(try request(server.port, "GET", "/clock/").text))
        #expect(second - first >= 20)
        #expect(abs(first - Date().timeIntervalSince1970 * 1000) < 60_000)
    }
}

@Suite("issue 15: memory hogs")
struct MemoryHogTests {
    static let folder: String = {
        let scripts = [
            // Keeps 8 MiB more on every request.
            "hoarder": "const kept = [];\nexport default { fetch() { kept.push(new Array(1 << 20).fill(kept.length)); return new Response(String(kept.length)); } };\n",
            // Allocates without bound inside one request, keeping it all in a global.
            "spree": "globalThis.kept = [];\nexport default { fetch(request) { if (new URL(request.url).pathname.endsWith('/ok')) return new Response('count ' + kept.length); for (;;) kept.push(new Array(1 << 16).fill(1)); } };\n",
            "hello": "export default { fetch() { return new Response('hello'); } };\n",
        ]
        return TemporaryFolders.make("isoring-memhog", files: scripts.jsFiles)
    }()

    /// Per-tenant groups: the hoarder is answered 503 once its heap passes --tenant-heap-mb and
    /// starts again from an empty heap; the spree is stopped by the CPU limit and, being over the
    /// cap, dropped at once; the server's RSS stays bounded; other tenants are served throughout.
    @Test(arguments: [["--io", "epoll"], ["--io", "blocking"]])
    func hogsAreStoppedAtTheirCapAndRecreated(_ flags: [String]) throws {
        let server = try ServerProcess(flags + ["--tenants", Self.folder, "--tenant-heap-mb", "48", "--heap-check-every", "1",
                                                "--cpu-limit-ms", "100", "--penalty-box", "off"])
        defer { server.stop() }
        var statuses: [Int] = []
        while statuses.count < 12 && statuses.last != 503 { statuses.append(try request(server.port, "GET", "/hoarder/").status) }
        #expect(statuses.last == 503 && statuses.dropLast().allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(try request(server.port, "GET", "/hoarder/").text == "1")   // a new isolate, an empty heap
        #expect(server.waitForLog("[hoarder] tenant memory limit exceeded"), "\(server.log)")
        #expect(try request(server.port, "GET", "/spree/").status == 503)
        #expect(server.waitForLog("[spree] tenant memory limit exceeded"), "\(server.log)")
        #expect(try request(server.port, "GET", "/spree/ok").text == "count 0")   // recreated
        #expect(try request(server.port, "GET", "/hello/").text == "hello")
        let rss = (try? String(contentsOfFile: "/proc/\(server.process.processIdentifier)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(rss > 0 && rss < 1_000_000, "server RSS \(rss) KiB")
    }
}
