// AsyncTenants: tenant scripts whose handlers await real work (timers, subrequests), written to
// a temporary folder of their own.
import Foundation
import TestSupport

enum AsyncTenants {
    static let scripts: [String: String] = [
        // Sleeps ?ms= milliseconds on a timer, then answers how long it waited.
        "sleeper": """
        export default {
          async fetch(request) {
            const ms = Number(new URL(request.url).searchParams.get("ms") || 200);
            const t0 = Date.now();
            await new Promise(r => setTimeout(r, ms));
            return new Response(`slept ${Date.now() - t0}\\n`);
          }
        };
        """,
        // Keeps an interval running and never settles: only --request-timeout-ms answers it.
        "hanger": """
        export default {
          fetch(request) {
            const id = setInterval(() => {}, 20);
            return new Promise(() => {});
          }
        };
        """,
        // An interval that ticks three times, then settles.
        "ticker": """
        export default {
          fetch(request) {
            return new Promise(resolve => {
              let n = 0;
              const id = setInterval(() => { if (++n === 3) { clearInterval(id); resolve(new Response(`ticks ${n}\\n`)); } }, 10);
            });
          }
        };
        """,
        // A cleared timer never fires; with nothing else outstanding the handler cannot settle.
        "cleared": """
        export default {
          fetch(request) {
            return new Promise(resolve => { const id = setTimeout(() => resolve(new Response("fired")), 50); clearTimeout(id); });
          }
        };
        """,
        // Proxies GET /bytes/N of ?backend=; answers its own 502 when the subrequest fails.
        "proxy": """
        export default {
          async fetch(request) {
            const url = new URL(request.url);
            try {
              const r = await fetch(`http://${url.searchParams.get("backend")}/bytes/${url.searchParams.get("n") || 100}`);
              const body = await r.text();
              return new Response(`${r.status} ${body.length} ${body.slice(0, 3)}\\n`);
            } catch (e) {
              return new Response(`${e.name}: ${e.message}\\n`, { status: 502 });
            }
          }
        };
        """,
        // Four subrequests in parallel (each delayed 100 ms by the origin), then their sizes.
        "fanout": """
        export default {
          async fetch(request) {
            const backend = new URL(request.url).searchParams.get("backend");
            const t0 = Date.now();
            const rs = await Promise.all([1, 2, 3, 4].map(i => fetch(`http://${backend}/bytes/${i * 10}?delay_ms=100`)));
            const sizes = await Promise.all(rs.map(async r => (await r.arrayBuffer()).byteLength));
            return Response.json({ sizes, ms: Date.now() - t0 });
          }
        };
        """,
        // POSTs JSON to the origin's echo, changes it, posts it again (read-modify-write).
        "rmw": """
        export default {
          async fetch(request) {
            const backend = new URL(request.url).searchParams.get("backend");
            const first = await fetch(`http://${backend}/echo`, { method: "POST", body: JSON.stringify({ n: 1 }) });
            const value = await first.json();
            value.n += 1;
            const second = await fetch(new Request(`http://${backend}/echo`, { method: "POST", body: JSON.stringify(value) }));
            return Response.json({ value: await second.json(), type: second.headers.get("content-type") });
          }
        };
        """,
        // Makes ?count= subrequests one after another; reports how many succeeded and the error.
        "many": """
        export default {
          async fetch(request) {
            const url = new URL(request.url);
            const backend = url.searchParams.get("backend");
            let ok = 0;
            try {
              for (let i = 0; i < Number(url.searchParams.get("count")); i++) { await (await fetch(`http://${backend}/bytes/1`)).text(); ok++; }
              return new Response(`ok ${ok}\\n`);
            } catch (e) { return new Response(`ok ${ok}; ${e.message}\\n`, { status: 502 }); }
          }
        };
        """,
        // Aborts a slow subrequest after 50 ms with an AbortController on a timer.
        "aborter": """
        export default {
          async fetch(request) {
            const backend = new URL(request.url).searchParams.get("backend");
            const c = new AbortController();
            setTimeout(() => c.abort(), 50);
            try { await fetch(`http://${backend}/bytes/1?delay_ms=5000`, { signal: c.signal }); return new Response("not aborted"); }
            catch (e) { return new Response(`aborted: ${e.name}\\n`); }
          }
        };
        """,
        // The backend's body as a stream, through a transform, as the response body.
        "passthrough": """
        export default {
          async fetch(request) {
            const url = new URL(request.url);
            const r = await fetch(`http://${url.searchParams.get("backend")}/bytes/${url.searchParams.get("n")}`);
            return new Response(r.body.pipeThrough(new IdentityTransformStream()), { status: r.status, headers: r.headers });
          }
        };
        """,
        // A ReadableStream body of ?chunks= chunks of ?size= bytes, chunk i filled with the byte
        // (i * 31 + 7) & 255, each enqueued when the stream is pulled: a new Uint8Array, or with
        // ?from=buffer a view of one 10 MB buffer the tenant makes once (so the tenant's own
        // garbage does not hide what the server holds). After the last chunk it waits ?hold_ms=
        // on a timer before it closes (so a test can look at the process meanwhile).
        "streamer": """
        let data = null;
        export default {
          fetch(request) {
            const url = new URL(request.url);
            const chunks = Number(url.searchParams.get("chunks") || 160), size = Number(url.searchParams.get("size") || 65536);
            const holdMs = Number(url.searchParams.get("hold_ms") || 0);
            const fromBuffer = url.searchParams.get("from") === "buffer";
            if (fromBuffer && data === null) {
              data = new Uint8Array(160 * 65536);
              for (let k = 0; k < 160; k++) data.fill((k * 31 + 7) & 255, k * 65536, (k + 1) * 65536);
            }
            let i = 0;
            const body = new ReadableStream({
              async pull(c) {
                if (i < chunks) {
                  c.enqueue(fromBuffer ? data.subarray(i * size, (i + 1) * size) : new Uint8Array(size).fill((i * 31 + 7) & 255));
                  i++;
                  return;
                }
                if (holdMs > 0) await new Promise(r => setTimeout(r, holdMs));
                c.close();
              },
              cancel(reason) { console.log(`streamer cancelled after ${i} chunks: ${reason.message}`); }
            });
            return new Response(body, { headers: { "content-type": "application/octet-stream", "x-chunks": String(chunks) } });
          }
        };
        """,
        // Three chunks, a 20 ms pause, then the stream errors.
        "streamfail": """
        export default {
          fetch(request) {
            let i = 0;
            const body = new ReadableStream({
              async pull(c) {
                if (i < 3) { c.enqueue(new TextEncoder().encode(`part ${i++}\n`)); return; }
                await new Promise(r => setTimeout(r, 20));
                c.error(new RangeError("the tenant's stream broke after 3 parts"));
              }
            });
            return new Response(body);
          }
        };
        """,
        "hello": """
        export default { fetch() { return new Response("hello\\n"); } };
        """,
    ]

    static let folder = TemporaryFolders.make("isoring-async", files: scripts.jsFiles)
}
