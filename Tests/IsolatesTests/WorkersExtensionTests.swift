// WorkersExtensionTests: the APIs the prelude loads on first use (forms, Blob, AbortSignal,
// Buffer, caches, navigator, performance, cf) and the errors for those Isoring lacks.
import Foundation
import Testing
@testable import Isolates

/// Tenant `t` answers with the JSON of what `body` (an async function body using `request`) returns.
private func run(_ body: String, method: String = "GET", headers: [(String, String)] = [],
                 requestBody: String = "") throws -> (ParsedResponse, Fixture) {
    let f = try Fixture(["t": """
    export default {
      async fetch(request, env, ctx) {
        const result = await (async () => { \(body) })();
        return result instanceof Response ? result : Response.json(result);
      },
    };
    """])
    return (f.send(method, "/t", headers: headers, body: requestBody), f)
}

@Suite struct WorkersExtensionTests {
    @Test func consoleEncodingAndCryptoLoadOnFirstUse() throws {
        let (r, f) = try run("""
        const isAccessor = (k) => typeof Object.getOwnPropertyDescriptor(globalThis, k).get === 'function';
        const before = ['console', 'TextEncoder', 'crypto', 'structuredClone', 'btoa'].map(isAccessor);
        console.log('basics', 1, { a: [2] });
        const after = ['console', 'TextEncoder', 'crypto', 'structuredClone', 'btoa'].map(isAccessor);
        const bytes = new TextEncoder().encode('hé');
        return { before, after, bytes: Array.from(bytes), b64: btoa('hi'), uuid: crypto.randomUUID().length,
                 clone: structuredClone({ x: [1] }).x[0], decoded: new TextDecoder().decode(bytes) };
        """)
        #expect(r.json()["before"] as? [Bool] == [true, true, true, true, true], "\(r.text) \(f.logs.lines)")
        #expect(r.json()["after"] as? [Bool] == [false, false, false, false, false])
        #expect(r.json()["bytes"] as? [Int] == [104, 195, 169])
        #expect(r.json()["b64"] as? String == "aGk=")
        #expect(r.json()["uuid"] as? Int == 36)
        #expect(r.json()["clone"] as? Int == 1)
        #expect(r.json()["decoded"] as? String == "hé")
        #expect(f.logs.contains("basics 1 { a: [ 2 ] }"))
    }

    @Test func urlencodedFormData() throws {
        let (r, f) = try run("const form = await request.formData(); return { a: form.getAll('a'), b: form.get('b'), has: form.has('c') };",
                             method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], requestBody: "a=1&a=2&b=x+y%21")
        #expect(r.json()["a"] as? [String] == ["1", "2"], "\(f.logs.lines)")
        #expect(r.json()["b"] as? String == "x y!")
        #expect(r.json()["has"] as? Bool == false)
    }

    @Test func multipartUploadWithAFile() throws {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nmy \"notes\"\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nline1\r\nline2\r\n"
            + "--XyZ--\r\n"
        let (r, f) = try run("""
        const form = await request.formData();
        const doc = form.get('doc');
        return { title: form.get('title'), name: doc.name, type: doc.type, size: doc.size, text: await doc.text(),
                 isFile: doc instanceof File, isBlob: doc instanceof Blob };
        """, method: "POST", headers: [("Content-Type", "multipart/form-data; boundary=XyZ")], requestBody: body)
        let j = r.json()
        #expect(j["title"] as? String == "my \"notes\"", "\(f.logs.lines)")
        #expect(j["name"] as? String == "a.txt")
        #expect(j["type"] as? String == "text/plain")
        #expect(j["text"] as? String == "line1\r\nline2")
        #expect(j["size"] as? Int == 12)
        #expect(j["isFile"] as? Bool == true && j["isBlob"] as? Bool == true)
    }

    @Test func formDataRoundTripsThroughAMultipartBody() throws {
        let (r, f) = try run("""
        const fd = new FormData();
        fd.append('k', 'v1'); fd.append('k', 'v2'); fd.set('only', 'x');
        fd.append('file', new Blob(['hello'], { type: 'text/x-demo' }), 'h.txt');
        const req = new Request('http://x/', { method: 'POST', body: fd });
        const back = await req.formData();
        const file = back.get('file');
        return { ct: req.headers.get('content-type').split(';')[0], k: back.getAll('k'), only: back.get('only'),
                 file: [file.name, file.type, await file.text()] };
        """)
        let j = r.json()
        #expect(j["ct"] as? String == "multipart/form-data", "\(f.logs.lines)")
        #expect(j["k"] as? [String] == ["v1", "v2"])
        #expect(j["only"] as? String == "x")
        #expect(j["file"] as? [String] == ["h.txt", "text/x-demo", "hello"])
    }

    @Test func blobSliceTypeAndBodies() throws {
        let (r, f) = try run("""
        const b = new Blob(['héllo', new Uint8Array([33])], { type: 'Text/Plain' });
        const res = new Response(b);
        const fromBody = await new Response('abc').blob();
        return { size: b.size, type: b.type, slice: await b.slice(1, -1).text(), ct: res.headers.get('content-type'),
                 body: await res.text(), fromBody: [fromBody.size, fromBody.type] };
        """)
        let j = r.json()
        #expect(j["size"] as? Int == 7, "\(f.logs.lines)")
        #expect(j["type"] as? String == "text/plain")
        #expect(j["slice"] as? String == "éllo")
        #expect(j["ct"] as? String == "text/plain")
        #expect(j["body"] as? String == "héllo!")
        #expect((j["fromBody"] as? [Any])?.first as? Int == 3)
    }

    @Test func cloneErrorAndNullBodyResponses() throws {
        let (r, f) = try run("""
        const a = new Response('twice', { status: 201, headers: { 'x-a': '1' } });
        const b = a.clone();
        const req = new Request('http://x/p', { method: 'POST', body: 'payload' });
        const rc = req.clone();
        const e = Response.error();
        const empty = new Response(null, { status: 204 });
        return { a: await a.text(), b: await b.text(), bStatus: b.status, bHeader: b.headers.get('x-a'),
                 req: await req.text(), rc: await rc.text(), rcMethod: rc.method, errType: e.type, errStatus: e.status,
                 empty: [empty.status, empty.body === null, await empty.text()] };
        """)
        let j = r.json()
        #expect(j["a"] as? String == "twice" && j["b"] as? String == "twice", "\(f.logs.lines)")
        #expect(j["bStatus"] as? Int == 201 && j["bHeader"] as? String == "1")
        #expect(j["req"] as? String == "payload" && j["rc"] as? String == "payload" && j["rcMethod"] as? String == "POST")
        #expect(j["errType"] as? String == "error" && j["errStatus"] as? Int == 0)
        #expect((j["empty"] as? [Any])?.first as? Int == 204)
    }

    @Test func handlerMayReturnANoContentResponse() throws {
        let (r, _) = try run("return new Response(null, { status: 204 });")
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
    }

    @Test func abortSignalTimeoutAnyAndController() throws {
        let (r, f) = try run("""
        const sig = AbortSignal.timeout(5000);
        const reason = await new Promise((resolve) => sig.addEventListener('abort', () => resolve(sig.reason.name)));
        const c = new AbortController();
        const both = AbortSignal.any([c.signal, AbortSignal.timeout(10000)]);
        let seen = 0;
        both.onabort = () => { seen++; };
        c.abort('stop');
        let thrown = null;
        try { both.throwIfAborted(); } catch (e) { thrown = e; }
        const pre = AbortSignal.abort();
        return { reason, aborted: both.aborted, bothReason: both.reason, seen, thrown, pre: pre.reason.name,
                 requestSignal: request.signal instanceof AbortSignal && request.signal.aborted === false,
                 illegal: (() => { try { new AbortSignal(); return 'constructed'; } catch (e) { return e.constructor.name; } })() };
        """)
        let j = r.json()
        #expect(j["reason"] as? String == "TimeoutError", "\(f.logs.lines)")
        #expect(j["aborted"] as? Bool == true && j["bothReason"] as? String == "stop" && j["thrown"] as? String == "stop")
        #expect(j["seen"] as? Int == 1)
        #expect(j["pre"] as? String == "AbortError")
        #expect(j["requestSignal"] as? Bool == true)
        #expect(j["illegal"] as? String == "TypeError")
    }

    @Test func bufferSubset() throws {
        let (r, f) = try run("""
        const b = Buffer.from('héllo');
        return { hex: b.toString('hex'), b64: b.toString('base64'), b64url: Buffer.from([251, 255]).toString('base64url'),
                 back: Buffer.from('aMOpbGxv', 'base64').toString(), len: Buffer.byteLength('héllo'),
                 concat: Buffer.concat([Buffer.from('a'), Buffer.from('bc')]).toString(), isBuf: Buffer.isBuffer(b.subarray(1)),
                 eq: Buffer.from('ff00', 'hex').equals(Buffer.from([255, 0])), u32: Buffer.from([0, 0, 1, 0]).readUInt32BE(0) };
        """)
        let j = r.json()
        #expect(j["hex"] as? String == "68c3a96c6c6f", "\(f.logs.lines)")
        #expect(j["b64"] as? String == "aMOpbGxv")
        #expect(j["b64url"] as? String == "-_8")
        #expect(j["back"] as? String == "héllo")
        #expect(j["len"] as? Int == 6)
        #expect(j["concat"] as? String == "abc")
        #expect(j["isBuf"] as? Bool == true && j["eq"] as? Bool == true)
        #expect(j["u32"] as? Int == 256)
    }

    @Test func cachesKeepResponsesPerTenantUntilDeletedOrExpired() throws {
        let f = try Fixture(["c": """
        export default {
          async fetch(request) {
            const url = new URL(request.url);
            const key = 'http://cache.test' + url.search;
            if (request.method === 'PUT') {
              await caches.default.put(key, new Response('stored ' + url.search, { headers: { 'cache-control': url.searchParams.get('cc') || 'max-age=60' } }));
              return new Response('put');
            }
            if (request.method === 'DELETE') return new Response(String(await caches.default.delete(key)));
            const hit = await caches.default.match(key);
            const other = await (await caches.open('other')).match(key);
            return new Response(hit ? await hit.text() : 'miss', { headers: { 'x-other': other ? 'hit' : 'miss' } });
          },
        };
        """])
        #expect(f.send("GET", "/c?k=1").text == "miss")
        #expect(f.send("PUT", "/c?k=1").text == "put", "\(f.logs.lines)")
        let hit = f.send("GET", "/c?k=1")
        #expect(hit.text == "stored ?k=1")
        #expect(hit.header("x-other") == "miss")
        #expect(f.send("DELETE", "/c?k=1").text == "true")
        #expect(f.send("GET", "/c?k=1").text == "miss")
        _ = f.send("PUT", "/c?k=2&cc=no-store")
        #expect(f.send("GET", "/c?k=2&cc=no-store").text == "miss")
    }

    @Test func navigatorPerformanceAndEmptyCf() throws {
        let (r, f) = try run("""
        const t0 = performance.now();
        return { ua: navigator.userAgent, cf: request.cf, whole: Number.isInteger(t0) && t0 >= 0,
                 micro: await new Promise((resolve) => queueMicrotask(() => resolve('ran'))),
                 cloned: structuredClone(new Map([[1, { d: new Date(0) }]])).get(1).d.getTime() };
        """)
        let j = r.json()
        #expect(j["ua"] as? String == "Cloudflare-Workers", "\(f.logs.lines)")
        #expect((j["cf"] as? [String: Any])?.isEmpty == true)
        #expect(j["whole"] as? Bool == true && j["micro"] as? String == "ran" && j["cloned"] as? Int == 0)
    }

    @Test func unsupportedAPIsAndBindingsFailNamingThem() throws {
        let (r, f) = try run("""
        const msg = (fn) => { try { fn(); return 'no error'; } catch (e) { return e.message; } };
        return { rewriter: msg(() => new HTMLRewriter()), pair: msg(() => new WebSocketPair()),
                 binding: msg(() => env.MY_KV.get('k')), has: 'MY_KV' in env };
        """)
        let j = r.json()
        #expect((j["rewriter"] as? String)?.hasPrefix("HTMLRewriter is not supported by Isoring") == true, "\(f.logs.lines)")
        #expect((j["pair"] as? String)?.hasPrefix("WebSocketPair is not supported by Isoring") == true)
        #expect((j["binding"] as? String)?.contains("this tenant reads binding \"MY_KV\"") == true)
        #expect(j["has"] as? Bool == false)
    }

    @Test func structuredCloneCopiesCommonTypes() throws {
        let (r, f) = try run("""
        const file = new File(['abc'], 'a.txt', { type: 'text/plain', lastModified: 5 });
        const src = { d: new Date(7), re: /x/gi, m: new Map([['k', new Set([1])]]), u8: new Uint8Array([1, 2]),
                      dv: new DataView(new Uint8Array([9, 8]).buffer), err: new TypeError('bad'), file, blob: new Blob(['xy']), num: new Number(3) };
        src.self = src;
        const c = structuredClone(src);
        src.u8[0] = 99;
        return { date: c.d.getTime(), re: c.re.flags, set: c.m.get('k').has(1), u8: Array.from(c.u8), dv: c.dv.getUint8(1),
                 err: [c.err instanceof TypeError, c.err.message], file: [c.file.name, c.file.type, c.file.lastModified, await c.file.text(), c.file !== file],
                 blob: await c.blob.text(), num: c.num + 1, cycle: c.self === c,
                 fn: (() => { try { structuredClone(() => 1); return 'cloned'; } catch (e) { return e.name; } })() };
        """)
        let j = r.json()
        #expect(j["date"] as? Int == 7, "\(f.logs.lines)")
        #expect(j["re"] as? String == "gi")
        #expect(j["set"] as? Bool == true)
        #expect(j["u8"] as? [Int] == [1, 2])
        #expect(j["dv"] as? Int == 8)
        #expect((j["err"] as? [Any])?.first as? Bool == true)
        let file = j["file"] as? [Any]
        #expect(file?[0] as? String == "a.txt" && file?[1] as? String == "text/plain" && file?[2] as? Int == 5 && file?[3] as? String == "abc", "\(j)")
        #expect(j["blob"] as? String == "xy")
        #expect(j["num"] as? Int == 4)
        #expect(j["cycle"] as? Bool == true)
        #expect(j["fn"] as? String == "DataCloneError")
    }
}
