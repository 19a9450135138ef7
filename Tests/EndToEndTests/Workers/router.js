// router.js: a Hono-style app: a router class compiling "/users/:id" patterns to regexes,
// middleware with next(), a context object with c.req.param()/c.json()/c.text(), and
// `export default app` where app has fetch.
class Context {
  constructor(req, params) { this.req = { raw: req, param: (k) => params[k], header: (k) => req.headers.get(k), url: req.url }; this.headers = {}; }
  header(k, v) { this.headers[k] = v; }
  json(data, status = 200) { return Response.json(data, { status, headers: this.headers }); }
  text(body, status = 200) { return new Response(body, { status, headers: this.headers }); }
}
class App {
  #routes = []; #middleware = [];
  use(fn) { this.#middleware.push(fn); return this; }
  #add(method, path, handler) {
    const keys = [];
    const source = path.replace(/\/:([A-Za-z_]\w*)/g, (_, k) => { keys.push(k); return "/([^/]+)"; }).replace(/\*$/, ".*");
    this.#routes.push({ method, re: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }
  get(p, h) { return this.#add("GET", p, h); }
  post(p, h) { return this.#add("POST", p, h); }
  fetch = async (request) => {
    const { pathname } = new URL(request.url);
    for (const r of this.#routes) {
      const m = r.method === request.method && r.re.exec(pathname);
      if (!m) continue;
      const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      const c = new Context(request, params);
      const chain = [...this.#middleware, (ctx) => r.handler(ctx)];
      const run = (i) => chain[i](c, () => run(i + 1));
      return run(0);
    }
    return new Response("not found", { status: 404 });
  };
}
const app = new App();
app.use(async (c, next) => { c.header("x-powered-by", "isoring-test"); return next(); });
app.get("/router/users/:id", (c) => c.json({ id: c.req.param("id"), ua: c.req.header("user-agent") }));
app.post("/router/users/:id/posts/:post", async (c) => c.json({ id: c.req.param("id"), post: c.req.param("post"), body: await c.req.raw.json() }, 201));
app.get("/router/static/*", (c) => c.text("static"));
export default app;
