export default {
  fetch(request, env, ctx) {
    return new Response("Hello from isolate hello\n", {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
