// passthrough: the backend's response (status, headers, body) handed on as it is. The body is
// buffered: streamed bodies (ReadableStream) are not implemented yet.
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const r = await fetch(`http://${url.searchParams.get("backend")}/bytes/${url.searchParams.get("n") || 1024}`);
    return new Response(await r.arrayBuffer(), { status: r.status, headers: r.headers });
  }
};
