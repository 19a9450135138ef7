// Streams ?chunks= chunks (160) of ?size= bytes (65536) of "x", each made when the stream is
// pulled: the response goes out chunked as the client takes it (10 MB by default).
export default {
  fetch(request) {
    const url = new URL(request.url);
    const chunks = Math.min(Number(url.searchParams.get("chunks") || 160), 1 << 20);
    const size = Math.max(1, Math.min(Number(url.searchParams.get("size") || 65536), 1 << 20));
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(new Uint8Array(size).fill(120));
        else controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  },
};
