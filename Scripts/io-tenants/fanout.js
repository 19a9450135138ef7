// fanout: ?k=4 subrequests in parallel to the backend named by ?backend=IP:PORT, their sizes
// summed into a JSON answer.
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const backend = url.searchParams.get("backend");
    const k = Number(url.searchParams.get("k") || 4);
    try {
      const parts = await Promise.all(Array.from({ length: k }, (_, i) =>
        fetch(`http://${backend}/bytes/${64 * (i + 1)}`).then(r => r.arrayBuffer())));
      return Response.json({ parts: parts.length, bytes: parts.reduce((s, b) => s + b.byteLength, 0) });
    } catch (e) {
      return new Response(`backend failed: ${e.message}\n`, { status: 502 });
    }
  }
};
