// Tenants: the tenant scripts the end-to-end suite serves, written to a temporary folder.
import Foundation
import TestSupport

enum TestTenants {
    static let scripts: [String: String] = [
        // Workers module form, async handler.
        "hello": """
        export default {
          async fetch(request, env, ctx) {
            return new Response("hello from the module form\\n", { headers: { "content-type": "text/plain" } });
          }
        };
        """,
        // Service-worker form.
        "sw": """
        addEventListener("fetch", event => {
          event.respondWith(new Response("hello from the service-worker form\\n"));
        });
        """,
        // Answers the status named in the query, with or without a body: /status/?s=304&body=x
        "status": """
        export default {
          async fetch(request) {
            const q = new URL(request.url).searchParams;
            const s = Number(q.get("s"));
            return new Response(q.has("body") ? q.get("body") : null, { status: s });
          }
        };
        """,
        // A response of n bytes: /big/?n=8000000
        "big": """
        export default {
          async fetch(request) {
            const n = Number(new URL(request.url).searchParams.get("n"));
            return new Response("x".repeat(n));
          }
        };
        """,
        // Waits ms milliseconds on a real timer, then answers: /slow/?ms=80 (a busy wait on
        // Date.now() cannot work: a tenant's clock stands still while its code runs).
        "slow": """
        export default {
          async fetch(request) {
            const ms = Number(new URL(request.url).searchParams.get("ms"));
            console.log("slow request started");
            await new Promise(resolve => setTimeout(resolve, ms));
            return new Response("slept " + ms);
          }
        };
        """,
        // Echoes what the handler saw, as JSON.
        "echo": """
        export default {
          async fetch(request) {
            const url = new URL(request.url);
            const body = await request.text();
            const headers = {};
            for (const [k, v] of request.headers) headers[k] = v;
            return Response.json({ method: request.method, url: request.url, pathname: url.pathname,
              query: Object.fromEntries(url.searchParams), headers, body,
              contentType: request.headers.get("CONTENT-TYPE") });
          }
        };
        """,
        // Exercises the API: statuses, headers, redirects, bytes, JSON bodies.
        "api": """
        export default {
          async fetch(request) {
            const url = new URL(request.url);
            switch (url.pathname) {
              case "/api/status": return new Response("created", { status: 201, statusText: "Made It", headers: { "X-Custom": "yes" } });
              case "/api/redirect": return Response.redirect("https://example.com/elsewhere", 301);
              case "/api/bytes": return new Response(new Uint8Array([104, 105, 10]));
              case "/api/null": return new Response(null, { status: 204 });
              case "/api/json": { const data = await request.json(); return Response.json({ got: data, sum: data.a + data.b }); }
              case "/api/headers": {
                const h = new Headers({ "A": "1" }); h.append("a", "2"); h.set("B", "3"); h.delete("c");
                return new Response(JSON.stringify({ a: h.get("a"), hasB: h.has("b"), n: [...h].length }));
              }
              case "/api/encoding": {
                const bytes = new TextEncoder().encode("héllo"); return new Response(String(bytes.length) + " " + new TextDecoder().decode(bytes));
              }
              case "/api/log": console.log("tenant says", 42); return new Response("logged");
              case "/api/await": { const v = await new Promise(r => r(7)); return new Response("awaited " + v); }
              case "/api/search": return new Response(new URLSearchParams({ x: "1 2", y: "&" }).toString());
              default: return new Response("not found", { status: 404 });
            }
          }
        };
        """,
        "thrower": """
        export default { async fetch(request) {
          if (new URL(request.url).pathname.endsWith("/ok")) return new Response("still fine");
          throw new Error("tenant blew up on purpose");
        } };
        """,
        "rejecter": """
        addEventListener("fetch", e => e.respondWith(Promise.reject(new TypeError("rejected on purpose"))));
        """,
        "runaway": """
        export default { fetch(request) {
          if (new URL(request.url).pathname.endsWith("/ok")) return new Response("recovered");
          while (true) {}
        } };
        """,
        // Runs away after an await: in a timer's entry, not in the request's first dispatch.
        "late-runaway": """
        export default { async fetch(request) {
          await new Promise(resolve => setTimeout(resolve, 1));
          while (true) {}
        } };
        """,
        "broken": "export default { fetch(request) { return new Response(\"x\") ",
        "importer": "import x from \"./other.js\";\nexport default { fetch() { return new Response(\"x\"); } };",
        "setter": """
        export default { fetch() { globalThis.secret = "mine"; Array.prototype.polluted = true; return new Response("set"); } };
        """,
        "getter": """
        export default { fetch() { return new Response(JSON.stringify({ secret: typeof globalThis.secret, polluted: [].polluted === true })); } };
        """,
    ]

    /// A fresh folder holding every script above.
    static func makeFolder() -> String {
        TemporaryFolders.make("isoring-tenants", files: scripts.jsFiles)
    }
}
