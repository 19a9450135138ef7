// ext-platform.js: what workers reach for beyond fetch: `caches` (an in-memory cache per
// tenant, capped), `navigator`, `performance`, `request.cf`, the "cloudflare:workers" module,
// and the Workers APIs Isoring does not have (HTMLRewriter, WebSocketPair, WebSocket), which
// fail on first use with a message naming the API. Loaded on the first use of any of them.
(function (internals) {
"use strict";
const { define, native, Request, Response } = internals;

function unsupported(name, what) {
  const cls = class { constructor() { throw new TypeError(`${name} is not supported by Isoring (${what}); see the README's API table`); } };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

// ---- caches ---------------------------------------------------------------------------
// One store per tenant (this context), shared by caches.default and every caches.open(name),
// capped at native.cacheCapBytes of bodies; the least recently used entries go first.
const store = new Map();   // `${cacheName}\n${url}` -> { status, statusText, headers, body, expires }
let storedBytes = 0;
const capBytes = native.cacheCapBytes;
function keyOf(name, request) {
  const url = request instanceof Request ? request.url : new Request(String(request)).url;
  return `${name}\n${url.replace(/#.*$/, '')}`;
}
function expiryOf(headers) {
  const cc = (headers.get('cache-control') || '').toLowerCase();
  if (/(^|,)\s*(no-store|private)\b/.test(cc)) return -1;
  const m = /(?:^|,)\s*s-maxage=(\d+)/.exec(cc) || /(?:^|,)\s*max-age=(\d+)/.exec(cc);
  if (m) return Date.now() + Number(m[1]) * 1000;
  const expires = headers.get('expires');
  if (expires) { const t = Date.parse(expires); return Number.isNaN(t) ? -1 : t; }
  return Infinity;
}
function evict(key) {
  const e = store.get(key);
  if (e) { storedBytes -= e.body.length; store.delete(key); }
}
class Cache {
  #name;
  constructor(name) { this.#name = name; }
  async match(request, options = {}) {
    if (request instanceof Request && request.method !== 'GET' && !options.ignoreMethod) return undefined;
    const key = keyOf(this.#name, request), e = store.get(key);
    if (!e) return undefined;
    if (e.expires <= Date.now()) { evict(key); return undefined; }
    store.delete(key); store.set(key, e);   // most recently used last
    return new Response(e.body.length ? e.body.slice() : null, { status: e.status, statusText: e.statusText, headers: e.headers });
  }
  async put(request, response) {
    if (request instanceof Request && request.method !== 'GET') throw new TypeError('Cache.put: only GET requests can be cached');
    if (!(response instanceof Response)) throw new TypeError('Cache.put: second argument must be a Response');
    if (response.status === 206) throw new TypeError('Cache.put: partial (206) responses cannot be cached');
    if ((response.headers.get('vary') || '').includes('*')) throw new TypeError('Cache.put: a response with "Vary: *" cannot be cached');
    const key = keyOf(this.#name, request);
    const body = new Uint8Array(await response.arrayBuffer());
    const expires = expiryOf(response.headers);
    evict(key);
    if (expires < 0 || body.length > capBytes) return undefined;
    while (storedBytes + body.length > capBytes && store.size > 0) evict(store.keys().next().value);
    store.set(key, { status: response.status, statusText: response.statusText, headers: [...response.headers], body, expires });
    storedBytes += body.length;
    return undefined;
  }
  async delete(request, options = {}) {
    if (request instanceof Request && request.method !== 'GET' && !options.ignoreMethod) return false;
    const key = keyOf(this.#name, request), had = store.has(key);
    evict(key);
    return had;
  }
}
const named = new Map();
const caches = {
  default: new Cache(''),
  async open(name) {
    name = '#' + String(name);
    if (!named.has(name)) named.set(name, new Cache(name));
    return named.get(name);
  },
};

// ---- navigator, performance, request.cf ----------------------------------------------
// Workers' own values: the user agent string code checks for, one "CPU", and a clock that
// only moves in whole milliseconds (Workers coarsen timers against timing side channels).
const navigator = { userAgent: 'Cloudflare-Workers', hardwareConcurrency: 1, language: 'en' };
const timeOrigin = Date.now();
const performance = { timeOrigin, now() { return Date.now() - timeOrigin; }, mark() {}, measure() {} };
// What a runtime outside Cloudflare can know of the visitor: the operator's --cf fields, or
// an empty object (present, as local Workers tooling gives it).
internals.cf = Object.freeze(JSON.parse(native.cfJSON || '{}'));

// ---- cloudflare:workers ---------------------------------------------------------------
class WorkerEntrypoint {
  constructor(ctx, env) { this.ctx = ctx; this.env = env; }
}
const workersModule = {
  WorkerEntrypoint, env: internals.env,
  DurableObject: unsupported('DurableObject', 'no Durable Objects'),
  WorkflowEntrypoint: unsupported('WorkflowEntrypoint', 'no Workflows'),
  RpcTarget: class RpcTarget {},
};
workersModule.default = workersModule;
internals.modules['cloudflare:workers'] = workersModule;

for (const [k, v] of Object.entries({
  caches, navigator, performance,
  HTMLRewriter: unsupported('HTMLRewriter', 'no streaming HTML parser'),
  WebSocketPair: unsupported('WebSocketPair', 'no WebSocket upgrades'),
  WebSocket: unsupported('WebSocket', 'no outbound WebSockets'),
})) define(k, v);
})
