// HandlerFormTests: module and service-worker forms, sync and async, and the built-in tenants.
import Testing
@testable import Isolates

@Test func moduleFormAsyncFetchAnswers() throws {
    let f = try Fixture(["m": """
    export default {
      async fetch(request, env, ctx) {
        await null;
        return new Response("module " + request.method, { status: 201, headers: { "X-Form": "module" } });
      },
    };
    """])
    let r = f.send("POST", "/m/", body: "x")
    #expect(r.status == 201)
    #expect(r.text == "module POST")
    #expect(r.header("x-form") == "module")
}

@Test func moduleFormWithIdentifierExport() throws {
    let f = try Fixture(["m": """
    const handler = { fetch: (req) => new Response("by name") };
    export default handler;
    """])
    #expect(f.send("GET", "/m").text == "by name")
}

@Test func moduleFormWithShorthandFetch() throws {
    let f = try Fixture(["m": """
    async function fetch(request) { return new Response("shorthand"); }
    export default { fetch };
    """])
    #expect(f.send("GET", "/m").text == "shorthand")
}

@Test func serviceWorkerFormWithPromise() throws {
    let f = try Fixture(["sw": """
    addEventListener("fetch", (event) => {
      event.respondWith(Promise.resolve().then(() => new Response("sw " + new URL(event.request.url).pathname)));
    });
    """])
    let r = f.send("GET", "/sw/path?x=1")
    #expect(r.status == 200)
    #expect(r.text == "sw /sw/path")
}

@Test func urlKeepsThePathPrefixAndHost() throws {
    let f = try Fixture(["u": "export default { fetch: (r) => new Response(r.url) };"])
    #expect(f.send("GET", "/u/a?b=1", host: "127.0.0.1:8080").text == "http://127.0.0.1:8080/u/a?b=1")
    #expect(f.send("GET", "/z", host: "u.localhost:9").text == "http://u.localhost:9/z")
}

@Test func builtInTenantsAnswer() throws {
    let f = try Fixture(builtIn: ())
    let hello = f.send("GET", "/")
    #expect(hello.status == 200)
    #expect(hello.text == "Hello from isolate hello\n")
    let echo = f.send("PUT", "/echo/x?y=1", headers: [("X-Test", "yes")], body: "payload")
    #expect(echo.status == 200)
    let j = echo.json()
    #expect(j["method"] as? String == "PUT")
    #expect(j["url"] as? String == "http://127.0.0.1:8080/echo/x?y=1")
    #expect(j["body"] as? String == "payload")
    #expect((j["headers"] as? [String: String])?["x-test"] == "yes")
    let json = f.send("GET", "/json/p?a=1", host: "json.localhost")
    #expect(json.header("content-type") == "application/json")
    #expect(json.json()["path"] as? String == "/json/p")
    #expect((json.json()["query"] as? [String: String])?["a"] == "1")
    #expect(f.runtime.tenantCount == 3)
}

@Test func unknownTenantInFolderIs404WithName() throws {
    let f = try Fixture(["a": "export default { fetch: () => new Response('a') };"])
    let r = f.send("GET", "/nope/")
    #expect(r.status == 404)
    #expect(r.text == "no tenant named nope\n")
    #expect(f.send("GET", "/").text == "no tenant for this host or path\n")
    #expect(f.send("GET", "/", host: "zzz.localhost").text == "no tenant named zzz\n")
}

@Test func folderDefaultTenantAnswersBareLocalhost() throws {
    let f = try Fixture(["default": "export default { fetch: () => new Response('default here') };"])
    #expect(f.send("GET", "/").text == "default here")
    #expect(f.send("GET", "/other").text == "default here")
}

@Test func headRequestGetsHeadersOnly() throws {
    let f = try Fixture(["h": "export default { fetch: () => new Response('twelve bytes') };"])
    let r = f.send("HEAD", "/h")
    #expect(r.status == 200)
    #expect(r.header("content-length") == "12")
    #expect(r.body.isEmpty)
}

@Test func serverOwnedHeadersFromScriptsAreDropped() throws {
    let f = try Fixture(["h": """
    export default { fetch: () => new Response('abc', { headers: {
      'content-length': '999', 'connection': 'upgrade', 'transfer-encoding': 'chunked', 'x-ok': '1' } }) };
    """])
    let r = f.send("GET", "/h", keepAlive: false)
    #expect(r.headers("content-length") == ["3"])
    #expect(r.headers("connection") == ["close"])
    #expect(r.header("transfer-encoding") == nil)
    #expect(r.header("x-ok") == "1")
}

@Test func coldStartsAreRecordedOncePerTenant() throws {
    let f = try Fixture(["a": "export default { fetch: () => new Response('a') };",
                         "b": "export default { fetch: () => new Response('b') };"])
    _ = f.send("GET", "/a")
    _ = f.send("GET", "/a")
    _ = f.send("GET", "/b")
    let starts = f.runtime.coldStarts
    #expect(starts.map(\.tenant) == ["a", "b"])
    for s in starts {
        #expect(s.contextCreateNanos > 0)
        #expect(s.preludeInstallNanos > 0)
        #expect(s.scriptEvaluateNanos > 0)
        #expect(s.firstCallNanos > 0)
    }
    #expect(f.runtime.tenantCount == 2)
    let memory = f.runtime.memoryUsage()
    #expect((memory["a"]?.heapCapacityBytes ?? 0) > 0, "\(memory)")
}
