// proxy: one subrequest per request: GET /bytes/N of the backend named by ?backend=IP:PORT
// (allowed with --allow-backend), its body passed on.
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const backend = url.searchParams.get("backend");
    const n = url.searchParams.get("n") || "256";
    try {
      const r = await fetch(`http://${backend}/bytes/${n}`);
      return new Response(await r.arrayBuffer(), { status: r.status, headers: { "content-type": "text/plain" } });
    } catch (e) {
      return new Response(`backend failed: ${e.message}\n`, { status: 502 });
    }
  }
};
