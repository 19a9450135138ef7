// URLPatternConformanceTests: URLPattern, run in a tenant, against the web-platform-tests
// urlpattern data (WPT/urlpatterntestdata.json, every entry of the WPT file).
import Foundation
import Testing
@testable import Isolates

@Suite struct URLPatternConformanceTests {
    private static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    @Test func wptURLPatternData() throws {
        let runner = try String(contentsOf: Self.here.appendingPathComponent("JavaScript/urlpattern-wpt-runner.js"), encoding: .utf8)
        let data = try String(contentsOf: Self.here.appendingPathComponent("WPT/urlpatterntestdata.json"), encoding: .utf8)
        let f = try Fixture(["up": runner + """

        export default { async fetch(request) {
          const { entries } = await request.json();
          return Response.json(runURLPatternTests(entries));
        } };
        """], cpuLimitMs: 10_000)
        let r = f.send("POST", "/up", headers: [("Content-Type", "application/json")], body: data)
        let j = r.json()
        let failures = j["failures"] as? [String] ?? []
        print("URLPattern WPT: \(j["passed"] ?? "?")/\(j["total"] ?? "?")")
        for failure in failures { print("  fails: \(failure)") }
        #expect(j["total"] as? Int == 340, "\(f.logs.lines)")
        // The two known failures: a port pattern "80 " (trailing space) that the standard
        // treats as the default port, and "{.com/}" in a hostname group, which must be an error.
        #expect((j["passed"] as? Int ?? 0) >= 338, "\(failures)")
    }

    @Test func routesWithNamedGroupsInATenant() throws {
        let f = try Fixture(["r": """
        const route = new URLPattern({ pathname: "/r/books/:id(\\\\d+){/:format}?" });
        export default { fetch(request) {
          const m = route.exec(request.url);
          return m ? Response.json(m.pathname.groups) : new Response("no route", { status: 404 });
        } };
        """])
        #expect(f.send("GET", "/r/books/42").text == #"{"id":"42"}"#, "\(f.logs.lines)")
        #expect(f.send("GET", "/r/books/42/json").text == #"{"id":"42","format":"json"}"#)
        #expect(f.send("GET", "/r/books/abc").status == 404)
    }
}
