// DemoTenants: the tenants compiled into the binary, served by `isoring serve` with no folder.

/// Small workers showing both handler forms; `hello` also answers bare `http://127.0.0.1:PORT/`.
public enum DemoTenants {
    public static let defaultTenant = "hello"

    public static let scripts: [String: String] = [
        "hello": hello, "echo": echo, "json": json,
    ]

    /// Module form, synchronous.
    public static let hello = #"""
export default {
  fetch(request, env, ctx) {
    return new Response("Hello from isolate hello\n", {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
"""#

    /// Service-worker form, async: echoes method, URL, headers and body as JSON.
    public static let echo = #"""
addEventListener("fetch", (event) => {
  event.respondWith(handle(event.request));
});

async function handle(request) {
  const body = await request.text();
  const headers = {};
  for (const [name, value] of request.headers) headers[name] = value;
  return Response.json({ method: request.method, url: request.url, headers, body });
}
"""#

    /// Module form with an async handler and URL parsing.
    public static let json = #"""
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    return Response.json({
      tenant: "json",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      id: crypto.randomUUID(),
    });
  },
};
"""#
}
