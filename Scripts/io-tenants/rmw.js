// rmw: read-modify-write against the backend's echo: POST a JSON document, change it, POST it
// back, answer the result.
export default {
  async fetch(request) {
    const backend = new URL(request.url).searchParams.get("backend");
    const read = await (await fetch(`http://${backend}/echo`, { method: "POST", body: JSON.stringify({ count: 1 }) })).json();
    read.count += 1;
    const written = await (await fetch(`http://${backend}/echo`, { method: "POST", body: JSON.stringify(read) })).json();
    return Response.json(written);
  }
};
