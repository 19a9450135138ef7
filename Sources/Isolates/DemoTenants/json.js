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
