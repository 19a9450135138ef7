addEventListener("fetch", (event) => {
  event.respondWith(handle(event.request));
});

async function handle(request) {
  const body = await request.text();
  const headers = {};
  for (const [name, value] of request.headers) headers[name] = value;
  return Response.json({ method: request.method, url: request.url, headers, body });
}
