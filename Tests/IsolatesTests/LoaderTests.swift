// LoaderTests: real-shaped tenants through the runtime: bundler output, packages bundled with
// esbuild, JSC's module syntax errors with their line, and the message when esbuild is absent.
import Tenants
import Foundation
import Testing
@testable import Isolates

@Suite struct LoaderTests {
    @Test func syntaxErrorIsReportedWithItsLineInTheOriginalText() throws {
        let f = try Fixture(["bad": "const ok = /a\"b/;\nexport default {\n  fetch() {\n    return new Response('x' +);\n  },\n};\n"])
        #expect(f.send("GET", "/bad").status == 500)
        #expect(f.logs.lines.contains { $0.contains("[bad] script failed to load: line 4: SyntaxError:") }, "\(f.logs.lines)")
    }

    @Test func moduleOnlySyntaxAfterTheRewriteIsStillCheckedAsAModule() throws {
        // Top-level await parses in a module but not in the classic script the C API runs.
        let f = try Fixture(["tla": "const v = await Promise.resolve(1);\nexport default { fetch: () => new Response(String(v)) };"])
        #expect(f.send("GET", "/tla").status == 500)
        #expect(f.logs.lines.contains { $0.contains("[tla] script failed to load") }, "\(f.logs.lines)")
    }

    @Test func classDefaultExportIsInstantiatedWithCtxAndEnv() throws {
        let f = try Fixture(["cls": """
        import { WorkerEntrypoint } from "cloudflare:workers";
        export default class extends WorkerEntrypoint {
          async fetch(request) { return new Response(typeof this.ctx.waitUntil + " " + new URL(request.url).pathname); }
        }
        """])
        let r = f.send("GET", "/cls/x")
        #expect(r.text == "function /cls/x", "\(f.logs.lines)")
    }

    @Test func packageFolderIsBundledWithItsDependencies() throws {
        let f = try Fixture([:])
        let app = f.dir + "/shop"
        try FileManager.default.createDirectory(atPath: app + "/src", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: app + "/node_modules/greeting", withIntermediateDirectories: true)
        try #"{"name":"shop","main":"src/index.js"}"#.write(toFile: app + "/package.json", atomically: true, encoding: .utf8)
        try #"{"name":"greeting","main":"index.js"}"#.write(toFile: app + "/node_modules/greeting/package.json", atomically: true, encoding: .utf8)
        try "module.exports = (n) => 'hello ' + n;".write(toFile: app + "/node_modules/greeting/index.js", atomically: true, encoding: .utf8)
        try "export const item = (p) => p.split('/').pop();".write(toFile: app + "/src/item.js", atomically: true, encoding: .utf8)
        try """
        import greet from "greeting";
        import { item } from "./item.js";
        import { Buffer } from "node:buffer";
        export default { fetch(request) { return new Response(greet(item(request.url)) + " " + Buffer.from("ok").toString("hex")); } };
        """.write(toFile: app + "/src/index.js", atomically: true, encoding: .utf8)
        let r = f.send("GET", "/shop/boots")
        #expect(r.text == "hello boots 6f6b", "\(f.logs.lines)")
    }

    @Test func missingEsbuildIsNamedInTheError() throws {
        #expect {
            _ = try TenantBundler.bundle(entry: "/nonexistent/app", tenant: "app", why: "is a package folder", esbuild: nil)
        } throws: {
            ($0 as? ScriptLoadError)?.message == "tenant app is a package folder, so it must be bundled, and esbuild is not installed (apt-get install esbuild; Scripts/bootstrap installs it)"
        }
    }
}
