// FailureTests: script errors, rejections, load failures, CPU limit, and isolation between tenants.
import Testing
@testable import Isolates

@Test func thrownErrorIs500AndLoggedAndTenantKeepsServing() throws {
    let f = try Fixture(["t": """
    let n = 0;
    export default {
      fetch(request) {
        n++;
        if (new URL(request.url).pathname === '/t/throw') throw new Error('secret internals ' + n);
        return new Response('ok ' + n);
      },
    };
    """])
    let r = f.send("GET", "/t/throw")
    #expect(r.status == 500)
    #expect(r.text == "Internal Server Error\n")
    #expect(!r.text.contains("secret"))
    #expect(f.logs.contains("[t] Uncaught Error: secret internals 1"))
    #expect(f.send("GET", "/t/ok").text == "ok 2")
}

@Test func rejectedPromiseIs500AndLogged() throws {
    let f = try Fixture(["t": """
    export default { async fetch() { await Promise.resolve(); throw new TypeError('async nope'); } };
    """])
    let r = f.send("GET", "/t")
    #expect(r.status == 500)
    #expect(f.logs.contains("[t] Uncaught TypeError: async nope"))
}

@Test func nonResponseResultIs500() throws {
    let f = try Fixture(["t": "export default { fetch: () => ({ body: 'not a response' }) };"])
    #expect(f.send("GET", "/t").status == 500)
    #expect(f.logs.contains("not a Response"))
}

@Test func neverSettlingHandlerIs500() throws {
    let f = try Fixture(["t": "export default { fetch: () => new Promise(() => {}) };"])
    let r = f.send("GET", "/t")
    #expect(r.status == 500)
    #expect(r.text == "handler did not settle\n")
    #expect(f.logs.contains("[t] handler did not settle"))
}

@Test func unhandledRejectionIsLogged() throws {
    let f = try Fixture(["t": """
    export default { fetch() { Promise.reject(new Error('dropped on the floor')); return new Response('fine'); } };
    """])
    #expect(f.send("GET", "/t").text == "fine")
    #expect(f.logs.contains("Unhandled promise rejection: Error: dropped on the floor"))
}

@Test func syntaxErrorTenantFailsAloneAndIsLoggedEachRequest() throws {
    let f = try Fixture(["bad": "export default { fetch( { ;", "good": "export default { fetch: () => new Response('good') };"])
    let r = f.send("GET", "/bad")
    #expect(r.status == 500)
    #expect(r.text == "Internal Server Error\n")
    #expect(f.send("GET", "/good").text == "good")
    _ = f.send("GET", "/bad")
    #expect(f.logs.lines.filter { $0.contains("[bad] script failed to load") && $0.contains("SyntaxError") }.count == 2)
    #expect(f.runtime.tenantCount == 1)
}

@Test func importOfAMissingFileFailsWithTheBundlersMessage() throws {
    let f = try Fixture(["imp": "import { x } from './x.js';\nexport default { fetch: () => new Response(x) };"])
    #expect(f.send("GET", "/imp").status == 500)
    #expect(f.logs.lines.contains { $0.contains("[imp] script failed to load: tenant imp: esbuild failed") && $0.contains("./x.js") },
            "\(f.logs.lines)")
}

@Test func scriptWithoutHandlerIsRefused() throws {
    let f = try Fixture(["none": "const x = 1;"])
    #expect(f.send("GET", "/none").status == 500)
    #expect(f.logs.contains("registers no fetch handler"))
}

/// Options without the penalty box, for tests of recovery after repeated CPU-limit stops.
func noPenaltyBox(cpuLimitMs: Int) -> IsolateOptions {
    var o = IsolateOptions()
    o.cpuLimitMs = cpuLimitMs
    o.penaltyBox = nil
    return o
}

@Test func runawayLoopIsStoppedWith503AndTenantServesAgain() throws {
    let f = try Fixture(["spin": """
    let served = 0;
    export default {
      fetch(request) {
        served++;
        if (new URL(request.url).pathname === '/spin/loop') { while (true) {} }
        return new Response('served ' + served);
      },
    };
    """], options: noPenaltyBox(cpuLimitMs: 50))
    let start = ContinuousClock.now
    let r = f.send("GET", "/spin/loop")
    let elapsed = ContinuousClock.now - start
    #expect(r.status == 503)
    #expect(r.text == "CPU time limit exceeded\n")
    #expect(f.logs.contains("[spin] CPU time limit exceeded (50 ms)"))
    #expect(elapsed < .seconds(5))
    // The same isolate (state kept: the counter continues) answers the next request.
    #expect(f.send("GET", "/spin/ok").text == "served 2")
    #expect(f.send("GET", "/spin/loop").status == 503)
    #expect(f.send("GET", "/spin/ok").text == "served 4")
}

@Test func runawayLoopAfterAwaitIsStoppedToo() throws {
    let f = try Fixture(["spin": """
    export default {
      async fetch(request) {
        await null;
        if (new URL(request.url).pathname === '/spin/loop') { for (;;) {} }
        return new Response('fine');
      },
    };
    """], options: noPenaltyBox(cpuLimitMs: 50))
    #expect(f.send("GET", "/spin/loop").status == 503)
    #expect(f.send("GET", "/spin/ok").text == "fine", "\(f.logs.lines)")
    #expect(f.send("GET", "/spin/loop").status == 503)
    #expect(f.send("GET", "/spin/ok").text == "fine")
    // Recovered in place, not recreated.
    #expect(f.runtime.coldStarts.count == 1)
}

@Test func tenantsCannotSeeEachOthersGlobalsOrPrototypes() throws {
    let f = try Fixture([
        "a": """
        globalThis.x = 'from a';
        Array.prototype.evil = () => 'patched';
        export default { fetch: () => new Response(typeof x + ' ' + typeof [].evil) };
        """,
        "b": """
        export default { fetch: () => new Response(typeof globalThis.x + ' ' + typeof [].evil + ' ' + typeof Response) };
        """,
    ])
    #expect(f.send("GET", "/a").text == "string function")
    #expect(f.send("GET", "/b").text == "undefined undefined function")
}

@Test func repeatRunawayIsBoxedAndRunsOnProbation() throws {
    let f = try Fixture(["spin": "export default { fetch(request) { for (;;) {} } };"], cpuLimitMs: 50)
    #expect(f.send("GET", "/spin/").status == 503)
    #expect(f.send("GET", "/spin/").status == 503)
    let boxed = f.send("GET", "/spin/")
    #expect(boxed.status == 503)
    #expect(boxed.text.contains("refused"))
    #expect(f.runtime.stats.penaltyBoxEntriesTotal == 1)
    #expect(f.runtime.stats.penaltyBoxRefusalsTotal == 1)
    #expect(f.logs.contains("[spin] penalty box"))
}
