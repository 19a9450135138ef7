// WorkersAPITests: each prelude piece, exercised through a real request.
import Foundation
import Testing
@testable import Isolates

/// A fixture whose tenant `t` answers with the JSON-encoded result of `body` (an async
/// function body that may use `request`).
private func evaluate(_ body: String, method: String = "GET", target: String = "/t",
                      headers: [(String, String)] = [], requestBody: String = "") throws -> (ParsedResponse, Fixture) {
    let f = try Fixture(["t": """
    export default {
      async fetch(request, env, ctx) {
        const result = await (async () => { \(body) })();
        return Response.json(result);
      },
    };
    """])
    return (f.send(method, target, headers: headers, body: requestBody), f)
}

@Test func headersAreCaseInsensitiveAndIterateSorted() throws {
    let (r, f) = try evaluate("""
    const h = new Headers({ 'Content-Type': 'text/plain' });
    h.append('X-A', '1'); h.append('x-a', '2');
    h.set('Set-Cookie', 'a=1'); h.append('set-cookie', 'b=2');
    const seen = [];
    h.forEach((v, k) => seen.push(k + '=' + v));
    const before = h.has('X-A');
    h.delete('X-A');
    return { ct: h.get('CONTENT-TYPE'), before, after: h.has('x-a'), missing: h.get('nope'),
             cookies: h.getSetCookie(), seen, keys: [...h.keys()], fromPairs: new Headers([['A', 'b']]).get('a'),
             req: request.headers.get('X-CUSTOM') };
    """, headers: [("x-custom", "v")])
    #expect(r.status == 200, "\(f.logs.lines)")
    let j = r.json()
    #expect(j["ct"] as? String == "text/plain")
    #expect(j["before"] as? Bool == true)
    #expect(j["after"] as? Bool == false)
    #expect(j["missing"] is NSNull)
    #expect(j["cookies"] as? [String] == ["a=1", "b=2"])
    #expect(j["seen"] as? [String] == ["content-type=text/plain", "set-cookie=a=1", "set-cookie=b=2", "x-a=1, 2"])
    #expect(j["keys"] as? [String] == ["content-type", "set-cookie", "set-cookie"])
    #expect(j["fromPairs"] as? String == "b")
    #expect(j["req"] as? String == "v")
}

@Test func invalidHeaderNameThrowsTypeError() throws {
    let (r, _) = try evaluate("try { new Headers().set('bad name', 'x'); return 'no'; } catch (e) { return e.name; }")
    #expect(r.text == "\"TypeError\"")
}

@Test func requestBodyReaders() throws {
    let (r, f) = try evaluate("""
    const c = request.clone();
    const c2 = request.clone();
    const j = await request.json();
    const used = request.bodyUsed;
    let again = 'none';
    try { await request.text(); } catch (e) { again = e.name; }
    const t = await c.text();
    const ab = await c2.arrayBuffer();
    const built = new Request('https://x.test/p?q=1', { method: 'post', headers: { 'X-Y': 'z' }, body: 'hi' });
    return { j, used, again, t, abLen: ab.byteLength, abFirst: new Uint8Array(ab)[0],
             built: [built.method, built.url, built.headers.get('x-y'), await built.text()],
             method: request.method, ct: request.headers.get('content-type') };
    """, method: "POST", headers: [("content-type", "application/json")], requestBody: "{\"a\":[1,2]}")
    #expect(r.status == 200, "\(f.logs.lines)")
    let j = r.json()
    #expect((j["j"] as? [String: Any])?["a"] as? [Int] == [1, 2])
    #expect(j["used"] as? Bool == true)
    #expect(j["again"] as? String == "TypeError")
    #expect(j["t"] as? String == "{\"a\":[1,2]}")
    #expect(j["abLen"] as? Int == 11)
    #expect(j["abFirst"] as? Int == 123)
    #expect(j["built"] as? [String] == ["POST", "https://x.test/p?q=1", "z", "hi"])
    #expect(j["ct"] as? String == "application/json")
}

@Test func responseJsonRedirectAndStatus() throws {
    let f = try Fixture(["t": """
    export default {
      async fetch(request) {
        const p = new URL(request.url).pathname;
        if (p === '/t/json') return Response.json({ ok: true }, { status: 202, headers: { 'x-j': '1' } });
        if (p === '/t/redirect') return Response.redirect('https://example.com/next', 301);
        if (p === '/t/redirect-default') return Response.redirect('https://example.com/');
        if (p === '/t/status') return new Response('teapot-ish', { status: 418, statusText: 'Short And Stout' });
        if (p === '/t/null') return new Response(null, { status: 204 });
        if (p === '/t/props') {
          const r = new Response('x', { status: 404 });
          const c = r.clone();
          return Response.json({ ok: r.ok, status: r.status, text: await c.text(), ct: r.headers.get('content-type'),
                                 jsonOk: Response.json(1).ok, err: Response.error().type });
        }
        return new Response('?');
      },
    };
    """])
    let json = f.send("GET", "/t/json")
    #expect(json.status == 202)
    #expect(json.header("content-type") == "application/json")
    #expect(json.header("x-j") == "1")
    #expect(json.text == "{\"ok\":true}")
    let red = f.send("GET", "/t/redirect")
    #expect(red.status == 301)
    #expect(red.header("location") == "https://example.com/next")
    #expect(red.header("content-length") == "0")
    #expect(f.send("GET", "/t/redirect-default").status == 302)
    let st = f.send("GET", "/t/status")
    #expect(st.status == 418)
    #expect(st.reason == "Short And Stout")
    let nb = f.send("GET", "/t/null")
    #expect(nb.status == 204)
    #expect(nb.body.isEmpty)
    let props = f.send("GET", "/t/props").json()
    #expect(props["ok"] as? Bool == false)
    #expect(props["status"] as? Int == 404)
    #expect(props["text"] as? String == "x")
    #expect(props["ct"] as? String == "text/plain;charset=UTF-8")
    #expect(props["jsonOk"] as? Bool == true)
    #expect(props["err"] as? String == "error")
}

@Test func binaryBodiesKeepTheirBytes() throws {
    let f = try Fixture(["b": """
    export default {
      fetch(request) {
        const p = new URL(request.url).pathname;
        const all = new Uint8Array([0, 1, 2, 255, 254, 10, 13, 0]);
        if (p === '/b/u8') return new Response(all);
        if (p === '/b/sub') return new Response(all.subarray(2, 5));
        if (p === '/b/ab') return new Response(all.buffer);
        if (p === '/b/utf8') return new Response('héllo ✓ 😀');
        return new Response('?');
      },
    };
    """])
    #expect(f.send("GET", "/b/u8").body == [0, 1, 2, 255, 254, 10, 13, 0])
    #expect(f.send("GET", "/b/sub").body == [2, 255, 254])
    #expect(f.send("GET", "/b/ab").body == [0, 1, 2, 255, 254, 10, 13, 0])
    let u = f.send("GET", "/b/utf8")
    #expect(u.text == "héllo ✓ 😀")
    #expect(u.header("content-length") == String("héllo ✓ 😀".utf8.count))
}

@Test func urlSearchParamsBasics() throws {
    let (r, _) = try evaluate("""
    const u = new URL(request.url);
    const sp = new URLSearchParams('a=1&b=two+words&a=3');
    sp.append('c', 'x&y');
    return { q: u.searchParams.get('q'), missing: u.searchParams.get('zz'), all: sp.getAll('a'),
             b: sp.get('b'), has: sp.has('c'), str: sp.toString(), host: u.host, path: u.pathname };
    """, target: "/t/p?q=v%20w")
    let j = r.json()
    #expect(j["q"] as? String == "v w")
    #expect(j["missing"] is NSNull)
    #expect(j["all"] as? [String] == ["1", "3"])
    #expect(j["b"] as? String == "two words")
    #expect(j["has"] as? Bool == true)
    #expect(j["str"] as? String == "a=1&b=two+words&a=3&c=x%26y")
    #expect(j["host"] as? String == "127.0.0.1:8080")
    #expect(j["path"] as? String == "/t/p")
}

@Test func consoleGoesToTheLogWithTenantName() throws {
    let (r, f) = try evaluate("""
    console.log('plain', 42, { a: [1, 'x'] }, null, undefined);
    console.warn('careful');
    console.error(new Error('bad thing'));
    console.info('%s is %d', 'n', 7);
    return 1;
    """)
    #expect(r.status == 200)
    #expect(f.logs.contains("[t] plain 42 { a: [ 1, \"x\" ] } null undefined"))
    #expect(f.logs.contains("[t] warn: careful"))
    #expect(f.logs.contains("[t] error: Error: bad thing"))
    #expect(f.logs.contains("[t] n is 7"))
}

@Test func textEncoderAndDecoderRoundTripUTF8() throws {
    let (r, _) = try evaluate("""
    const bytes = new TextEncoder().encode('aé😀');
    const back = new TextDecoder().decode(bytes);
    const bad = new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0x62]));
    const withNul = new TextDecoder().decode(new Uint8Array([0x61, 0, 0x62]));
    return { bytes: Array.from(bytes), back, bad, nulLen: withNul.length, b64: btoa('hi!'), un: atob('aGkh') };
    """)
    let j = r.json()
    #expect(j["bytes"] as? [Int] == [0x61, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80])
    #expect(j["back"] as? String == "aé😀")
    #expect(j["bad"] as? String == "a\u{FFFD}b")
    #expect(j["nulLen"] as? Int == 3)
    #expect(j["b64"] as? String == "aGkh")
    #expect(j["un"] as? String == "hi!")
}

@Test func cryptoRandomValuesAndUUID() throws {
    let (r, _) = try evaluate("""
    const a = crypto.getRandomValues(new Uint8Array(64));
    const b = crypto.getRandomValues(new Uint32Array(4));
    const u = crypto.randomUUID();
    let quota = 'none';
    try { crypto.getRandomValues(new Uint8Array(70000)); } catch (e) { quota = e.name; }
    return { distinct: new Set(a).size, nonzero: b.some((x) => x !== 0), u, u2: crypto.randomUUID(), quota };
    """)
    let j = r.json()
    #expect((j["distinct"] as? Int ?? 0) > 20)
    #expect(j["nonzero"] as? Bool == true)
    let u = j["u"] as? String ?? ""
    #expect(u.count == 36)
    #expect(Array(u)[14] == "4")
    #expect(u != j["u2"] as? String)
    #expect(j["quota"] as? String == "QuotaExceededError")
}

@Test func timersMicrotasksAndStructuredClone() throws {
    let (r, f) = try evaluate("""
    const order = [];
    setTimeout(() => order.push('timeout0'), 0);
    const cancelled = setTimeout(() => order.push('cancelled'), 0);
    clearTimeout(cancelled);
    queueMicrotask(() => order.push('micro'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    order.push('after-sleep');
    const src = { d: new Date(0), m: new Map([[1, { x: 1 }]]), arr: [1, 2] };
    src.self = src;
    const copy = structuredClone(src);
    return { order, sameRef: copy === src, cycle: copy.self === copy, mapX: copy.m.get(1).x,
             iso: copy.d.toISOString(), env: typeof env, wait: typeof ctx.waitUntil };
    """)
    #expect(r.status == 200, "\(f.logs.lines)")
    let j = r.json()
    #expect(j["order"] as? [String] == ["micro", "timeout0", "after-sleep"])
    #expect(j["sameRef"] as? Bool == false)
    #expect(j["cycle"] as? Bool == true)
    #expect(j["mapX"] as? Int == 1)
    #expect(j["iso"] as? String == "1970-01-01T00:00:00.000Z")
}

@Test func ctxAndEnvArePassed() throws {
    let f = try Fixture(["c": """
    export default {
      fetch(request, env, ctx) {
        ctx.waitUntil(Promise.resolve(1));
        ctx.passThroughOnException();
        return new Response(typeof env + ' ' + Object.keys(env).length);
      },
    };
    """])
    #expect(f.send("GET", "/c").text == "object 0")
}
