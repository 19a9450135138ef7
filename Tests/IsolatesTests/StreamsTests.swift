// StreamsTests: ReadableStream, WritableStream, TransformStream and the text transforms as a
// tenant uses them: bodies from streams, body streams read back, pipes, back-pressure, tee.
import Testing
@testable import Isolates

@Suite("streams through a tenant")
struct StreamsTests {
    static let tenant = """
    export default {
      async fetch(request) {
        const p = new URL(request.url).pathname;
        if (p === '/s/response') {
          // A stream body: chunks enqueued over several pulls, bytes and a string mixed.
          let n = 0;
          const s = new ReadableStream({ pull(c) { n++; if (n <= 3) c.enqueue(new TextEncoder().encode(`part${n};`)); else c.close(); } });
          return new Response(s, { headers: { 'content-type': 'text/plain' } });
        }
        if (p === '/s/pipe') {
          // Request body -> TextDecoderStream -> upper-case transform -> TextEncoderStream -> response.
          const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
          return new Response(request.body.pipeThrough(new TextDecoderStream()).pipeThrough(upper).pipeThrough(new TextEncoderStream()));
        }
        if (p === '/s/reader') {
          const reader = new Response('abc').body.getReader();
          const parts = [];
          for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value.length);
          return Response.json({ parts, closed: await reader.closed === undefined });
        }
        if (p === '/s/backpressure') {
          // highWaterMark 2: start fills the queue, pull is not called until a read makes room.
          const log = [];
          const s = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); log.push('desired ' + c.desiredSize); },
                                         pull(c) { log.push('pull'); c.enqueue(3); c.close(); } }, { highWaterMark: 2 });
          await null; await null;
          log.push('before read');
          const got = [];
          for await (const v of s) got.push(v);
          return Response.json({ log, got });
        }
        if (p === '/s/writable') {
          const written = [];
          const w = new WritableStream({ write(chunk) { written.push(chunk); }, close() { written.push('closed'); } });
          const writer = w.getWriter();
          await writer.write('a'); await writer.write('b'); await writer.close();
          return Response.json({ written, locked: w.locked });
        }
        if (p === '/s/tee') {
          const [a, b] = new Response('same').body.tee();
          const [x, y] = await Promise.all([new Response(a).text(), new Response(b).text()]);
          return Response.json({ x, y });
        }
        if (p === '/s/used') {
          const r = new Response('once');
          await r.text();
          try { await r.text(); return new Response('read twice'); } catch (e) { return new Response(e.constructor.name); }
        }
        if (p === '/s/identity') {
          const { readable, writable } = new IdentityTransformStream();
          const w = writable.getWriter(); w.write(new Uint8Array([104, 105])); w.close();
          return new Response(readable);
        }
        return new Response('?', { status: 404 });
      },
    };
    """

    @Test func streamBodiesPipesAndReaders() throws {
        let f = try Fixture(["s": Self.tenant])
        #expect(f.send("GET", "/s/response").text == "part1;part2;part3;")
        #expect(f.send("POST", "/s/pipe", body: "héllo streams").text == "HÉLLO STREAMS")
        let reader = f.send("GET", "/s/reader").json()
        #expect(reader["parts"] as? [Int] == [3])
        #expect(reader["closed"] as? Bool == true)
        let bp = f.send("GET", "/s/backpressure").json()
        #expect(bp["log"] as? [String] == ["desired 0", "before read", "pull"])
        #expect(bp["got"] as? [Int] == [1, 2, 3])
        let w = f.send("GET", "/s/writable").json()
        #expect(w["written"] as? [String] == ["a", "b", "closed"])
        #expect(w["locked"] as? Bool == true)
        let tee = f.send("GET", "/s/tee").json()
        #expect(tee["x"] as? String == "same")
        #expect(tee["y"] as? String == "same")
        #expect(f.send("GET", "/s/used").text == "TypeError")
        #expect(f.send("GET", "/s/identity").text == "hi")
    }
}
