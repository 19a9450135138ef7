// workers-prelude.js: the Workers API in JavaScript (Headers, Request, Response, console, timers...).
// See WorkersPrelude.swift for how the runtime evaluates it and calls the factory it returns.
(function (native) {
"use strict";
const G = globalThis;
const FROM_RAW = Symbol('fromRaw'), FLATTEN = Symbol('flatten'), PEEK = Symbol('peekBody');
const RESPONDED = Symbol('responded'), RESPONSE = Symbol('response'), SET_TYPE = Symbol('setType');
const BODY_INIT = Symbol('bodyInit');
const SAME_AS = Symbol('sameAs'), PAIRS = Symbol('pairs');

// ---- URL, installed on first use ------------------------------------------------------
// The URL prelude is the largest part of a context's set-up cost and most handlers never
// touch URL, so URL and URLSearchParams start as accessors: the first read evaluates the URL
// prelude (native.loadURL), which replaces both with plain data properties. A write before
// that (a tenant's own polyfill) simply wins.
for (const k of ['URL', 'URLSearchParams']) {
  Object.defineProperty(G, k, {
    configurable: true, enumerable: false,
    get() { native.loadURL(); return G[k]; },
    set(v) { Object.defineProperty(G, k, { value: v, writable: true, configurable: true, enumerable: false }); },
  });
}

// ---- extensions, installed on first use ------------------------------------------------
// APIs most handlers never touch live in scripts of their own (ext-*.js, see
// PreludeScripts.extensions): their globals start as accessors, like URL's, and the first read
// evaluates the script, whose completion value is a function given `internals` (the prelude's
// shared pieces); it defines the globals as plain data properties. Until then they cost one
// accessor each.
const loadedExtensions = new Set();
const internals = { native, G, BODY_INIT, PEEK, modules: {}, define, loadExtension, isLoaded: (name) => loadedExtensions.has(name) };
function define(k, v) { Object.defineProperty(G, k, { value: v, writable: true, configurable: true, enumerable: false }); }
function loadExtension(name) {
  if (loadedExtensions.has(name)) return internals;
  loadedExtensions.add(name);
  native.loadExtension(name)(internals);
  return internals;
}
function lazyGlobals(name, keys) {
  for (const k of keys) {
    Object.defineProperty(G, k, {
      configurable: true, enumerable: false,
      get() { loadExtension(name); return G[k]; },
      set(v) { define(k, v); },
    });
  }
}
lazyGlobals('forms', ['Blob', 'File', 'FormData']);
lazyGlobals('events', ['Event', 'EventTarget', 'AbortController', 'AbortSignal']);
lazyGlobals('buffer', ['Buffer']);
lazyGlobals('subtle', ['CryptoKey']);
lazyGlobals('urlpattern', ['URLPattern']);
lazyGlobals('fetch', ['fetch']);
lazyGlobals('streams', ['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamDefaultController',
  'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'TransformStream',
  'TransformStreamDefaultController', 'IdentityTransformStream', 'TextEncoderStream', 'TextDecoderStream',
  'CountQueuingStrategy', 'ByteLengthQueuingStrategy']);
// True for a ReadableStream (without loading the streams extension for other bodies).
function isStream(b) { return loadedExtensions.has('streams') && b instanceof internals.ReadableStream; }
lazyGlobals('platform', ['caches', 'navigator', 'performance', 'HTMLRewriter', 'WebSocketPair', 'WebSocket']);
// `import ... from "node:buffer"` and friends, rewritten by the loader into calls of this
// (removed again once the tenant's script has run).
function builtinModule(spec) {
  const ext = { 'node:buffer': 'buffer', 'buffer': 'buffer', 'cloudflare:workers': 'platform' }[spec];
  if (ext === undefined) throw new TypeError(`no built-in module "${spec}"`);
  return loadExtension(ext).modules[spec];
}

// ---- console, encoding, structuredClone, crypto: installed on first use ---------------
// They live in ext-basics.js (most handlers use none of them on most requests); their globals
// are accessors like the other extensions'. Errors are described by the same script.
lazyGlobals('basics', ['console', 'TextEncoder', 'TextDecoder', 'atob', 'btoa', 'structuredClone', 'crypto']);
function describeError(e) { return loadExtension('basics').describeError(e); }

// ---- bytes ----------------------------------------------------------------------------
function toU8(data, what) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`${what}: expected an ArrayBuffer or ArrayBufferView`);
}
class DOMException extends Error {
  constructor(message = '', name = 'Error') { super(message); this.name = name; }
}

// ---- microtasks, timers ---------------------------------------------------------------
function queueMicrotask(cb) {
  if (typeof cb !== 'function') throw new TypeError('queueMicrotask: callback is not a function');
  Promise.resolve().then(() => cb());
}
// Timers: on a loop, each timer is armed on the loop's clock (native.timerArmed returns true)
// and fireTimerById runs it when due, while the request stays pending. Without a loop (the
// runtime called directly, in tests) they run on virtual time (see the runtime's doc): once a
// request's promise chain has drained, the earliest timer fires, so setTimeout(r, 0) runs
// right after the handler's microtasks and a longer delay fires early rather than never.
let timerSeq = 0, virtualNow = 0;
const timers = new Map();
function addTimer(fn, delay, args, repeat) {
  if (typeof fn !== 'function') throw new TypeError('timer callback must be a function (strings are not evaluated)');
  delay = Math.max(0, Number(delay) || 0);
  const id = ++timerSeq;
  const real = native.timerArmed(id, delay);
  timers.set(id, { fn, args, delay, due: virtualNow + delay, repeat, real });
  return id;
}
const setTimeout = (fn, delay, ...args) => addTimer(fn, delay, args, false);
const setInterval = (fn, delay, ...args) => addTimer(fn, delay, args, true);
const clearTimeout = (id) => {
  const t = timers.get(id);
  if (t === undefined) return;
  timers.delete(id);
  if (t.real) native.timerCleared(id);
};
const clearInterval = clearTimeout;
function fireTimerById(id) {
  const t = timers.get(id);
  if (t === undefined) return;
  if (t.repeat) native.timerArmed(id, Math.max(t.delay, 1)); else timers.delete(id);
  try { t.fn.apply(undefined, t.args); } catch (e) { native.log(4, 'Uncaught (in timer) ' + describeError(e)); }
}
function fireTimer(onlyDue) {
  let best = null, bestId = 0;
  for (const [id, t] of timers) if (!t.real && (best === null || t.due < best.due)) { best = t; bestId = id; }
  if (best === null || (onlyDue && best.due > virtualNow)) return false;
  virtualNow = Math.max(virtualNow, best.due);
  if (best.repeat) best.due = virtualNow + Math.max(best.delay, 1); else timers.delete(bestId);
  try { best.fn.apply(undefined, best.args); } catch (e) { native.log(4, 'Uncaught (in timer) ' + describeError(e)); }
  return true;
}
function clearTimers() { for (const [id, t] of timers) if (!t.real) timers.delete(id); return timers.size; }

// ---- Headers --------------------------------------------------------------------------
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Valid header names already seen, lower-cased: a handler names the same few headers on every
// request, and a map lookup costs less than the token regex and toLowerCase (bounded).
const HEADER_NAMES = new Map();
function headerName(n) {
  if (typeof n === 'string') { const known = HEADER_NAMES.get(n); if (known !== undefined) return known; }
  n = String(n); if (!TOKEN.test(n)) throw new TypeError(`Invalid header name: "${n}"`);
  const lower = n.toLowerCase();
  if (HEADER_NAMES.size < 1024) HEADER_NAMES.set(n, lower);
  return lower;
}
function isHeaderSpace(c) { return c === 32 || c === 9 || c === 10 || c === 13; }
function headerValue(v) {
  v = String(v);
  // Common case without the two regexes: nothing to trim and no CR, LF or NUL.
  const n = v.length;
  let plain = n === 0 || (!isHeaderSpace(v.charCodeAt(0)) && !isHeaderSpace(v.charCodeAt(n - 1)));
  for (let i = 0; plain && i < n; i++) { const c = v.charCodeAt(i); if (c === 13 || c === 10 || c === 0) plain = false; }
  if (plain) return v;
  v = v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  if (/[\r\n\0]/.test(v)) throw new TypeError('Invalid header value'); return v;
}
class Headers {
  #map = new Map(); #raw = null;
  constructor(init) {
    if (init == null) return;
    if (init instanceof Headers) {
      for (const [k, v] of init.#m()) this.#map.set(k, Array.isArray(v) ? v.slice() : v);
    } else if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError('Headers: each init pair must have exactly two items');
        this.append(p[0], p[1]);
      }
    } else if (typeof init === 'object') {
      for (const k of Object.keys(init)) this.append(k, init[k]);
    } else throw new TypeError('Headers: init must be an object, an array of pairs or a Headers');
  }
  static [FROM_RAW](block) { const h = new Headers(); h.#raw = block; return h; }
  #m() {
    if (this.#raw !== null) {
      const raw = this.#raw; this.#raw = null;
      let start = 0;
      while (start < raw.length) {
        let end = raw.indexOf('\n', start); if (end < 0) end = raw.length;
        const colon = raw.indexOf(':', start);
        if (colon > start && colon < end) this.#add(raw.slice(start, colon).toLowerCase(), raw.slice(colon + 1, end));
        start = end + 1;
      }
    }
    return this.#map;
  }
  #add(n, v) {
    const m = this.#map, old = m.get(n);
    if (n === 'set-cookie') { if (old) old.push(v); else m.set(n, [v]); }
    else m.set(n, old === undefined ? v : old + ', ' + v);
  }
  append(n, v) { this.#m(); this.#add(headerName(n), headerValue(v)); }
  set(n, v) { n = headerName(n); v = headerValue(v); this.#m().set(n, n === 'set-cookie' ? [v] : v); }
  get(n) { const v = this.#m().get(headerName(n)); return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; }
  has(n) { return this.#m().has(headerName(n)); }
  delete(n) { this.#m().delete(headerName(n)); }
  getSetCookie() { const v = this.#m().get('set-cookie'); return v ? v.slice() : []; }
  getAll(n) { n = headerName(n); const v = this.#m().get(n); return v === undefined ? [] : Array.isArray(v) ? v.slice() : [v]; }
  *entries() {
    const m = this.#m();
    for (const k of Array.from(m.keys()).sort()) {
      const v = m.get(k);
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const c of v) yield [k, c]; else yield [k, v];
    }
  }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
  forEach(cb, thisArg) { for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this); }
  // True when this object holds exactly `pairs` ([name, value, ...] from PAIRS), in order.
  [SAME_AS](pairs) {
    const m = this.#m();
    if (pairs === null || pairs.length !== 2 * m.size) return false;
    let i = 0;
    for (const [k, v] of m) { if (pairs[i] !== k || pairs[i + 1] !== v) return false; i += 2; }
    return true;
  }
  // [name, value, ...], or null when a name holds several values (set-cookie).
  [PAIRS]() {
    const out = [];
    for (const [k, v] of this.#m()) { if (typeof v !== 'string') return null; out.push(k, v); }
    return out;
  }
  // "name: value\r\n" lines for the native writer, without the headers the server owns.
  [FLATTEN]() {
    let out = '';
    for (const [k, v] of this.#m()) {
      if (k === 'content-length' || k === 'connection' || k === 'transfer-encoding') continue;
      if (Array.isArray(v)) for (const c of v) out += k + ': ' + c + '\r\n'; else out += k + ': ' + v + '\r\n';
    }
    return out;
  }
}

// ---- Body (shared by Request and Response) --------------------------------------------
// A body is kept as given: null, a string, a Uint8Array or a ReadableStream. `.body` returns a
// stream body as the stream and bytes as a Uint8Array; the readers (text, json...) read either.
// A response's stream body goes out chunk by chunk as it is read (see streamBody below).
function bodyFrom(body) {
  if (body == null) return [null, null];
  if (typeof body === 'object' && typeof body[BODY_INIT] === 'function') return body[BODY_INIT]();  // Blob, FormData
  if (typeof body === 'string') return [body, 'text/plain;charset=UTF-8'];
  if (body instanceof Uint8Array) return [body, null];
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return [toU8(body, 'body'), null];
  if (body instanceof URLSearchParams) return [body.toString(), 'application/x-www-form-urlencoded;charset=UTF-8'];
  if (isStream(body)) {
    if (body.locked || body._isDisturbed()) throw new TypeError('body stream is locked or already read');
    return [body, null];
  }
  return [String(body), 'text/plain;charset=UTF-8'];
}
class Body {
  #body = null; #used = false;
  _setBody(b) { this.#body = b; }
  [PEEK]() { return this.#body; }
  get bodyUsed() { return this.#used || (isStream(this.#body) && this.#body._isDisturbed()); }
  // The body as a ReadableStream (made on first read from a string or bytes body).
  get body() {
    const b = this.#body;
    if (b === null || isStream(b)) return b;
    loadExtension('streams');
    this.#body = internals.streamOf(typeof b === 'string' ? native.encode(b) : b);
    return this.#body;
  }
  // A body for a clone: a stream is teed (this object keeps one branch).
  _cloneBody() {
    const b = this.#body;
    if (!isStream(b)) return b;
    const [mine, theirs] = b.tee();
    this.#body = mine;
    return theirs;
  }
  #take() {
    if (this.bodyUsed || (isStream(this.#body) && this.#body.locked)) throw new TypeError('Body has already been used');
    this.#used = true;
    return this.#body;
  }
  async #takeBytesOrString() {
    const b = this.#take();
    return isStream(b) ? internals.collectStream(b) : b;
  }
  async text() { const b = await this.#takeBytesOrString(); return b === null ? '' : typeof b === 'string' ? b : native.decode(b); }
  async json() { return JSON.parse(await this.text()); }
  async arrayBuffer() {
    const b = await this.#takeBytesOrString();
    if (b === null) return new ArrayBuffer(0);
    return (typeof b === 'string' ? native.encode(b) : b.slice()).buffer;
  }
  async bytes() { return new Uint8Array(await this.arrayBuffer()); }
  async formData() {
    const type = this.headers.get('content-type') || '';
    return loadExtension('forms').parseFormData(type, await this.bytes());
  }
  async blob() {
    const type = this.headers.get('content-type') || '';
    return new (loadExtension('forms').Blob)([await this.bytes()], { type });
  }
}

// ---- Request --------------------------------------------------------------------------
const NORMAL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];
class Request extends Body {
  #method = 'GET'; #url = ''; #headers = null; #rawHeaders = ''; #signal = null;
  constructor(input, init = {}) {
    super();
    if (input === FROM_RAW) return;
    let body = null;
    if (input instanceof Request) {
      this.#url = input.url; this.#method = input.method; this.#headers = new Headers(input.headers);
      if (input.bodyUsed) throw new TypeError('Request: body of the input request has already been used');
      body = input[PEEK]();
    } else {
      try { this.#url = new URL(String(input)).href; } catch (e) { throw new TypeError(`Request: invalid URL "${input}"`); }
    }
    if (init.method !== undefined) {
      const m = String(init.method);
      if (!TOKEN.test(m)) throw new TypeError(`Request: invalid method "${m}"`);
      this.#method = NORMAL_METHODS.includes(m.toUpperCase()) ? m.toUpperCase() : m;
    }
    if (init.headers !== undefined) this.#headers = new Headers(init.headers);
    if (init.signal != null) this.#signal = init.signal;
    else if (input instanceof Request && input.#signal !== null) this.#signal = input.#signal;
    if (this.#headers === null) this.#headers = new Headers();
    if (init.body !== undefined) body = init.body;
    if (body != null && (this.#method === 'GET' || this.#method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
    const [b, type] = bodyFrom(body);
    if (type && !this.#headers.has('content-type')) this.#headers.set('content-type', type);
    this._setBody(b);
  }
  static [FROM_RAW](method, url, rawHeaders, body) {
    const r = new Request(FROM_RAW);
    r.#method = method; r.#url = url; r.#rawHeaders = rawHeaders;
    r._setBody(body);
    return r;
  }
  get method() { return this.#method; }
  get url() { return this.#url; }
  get headers() {
    if (this.#headers === null) this.#headers = Headers[FROM_RAW](this.#rawHeaders);
    return this.#headers;
  }
  get redirect() { return 'follow'; }
  // A request's signal never aborts here (the runtime does not cancel handlers); it is made
  // on first read, so requests that never look at it do not load AbortSignal.
  get signal() {
    if (this.#signal === null) this.#signal = new (loadExtension('events').AbortController)().signal;
    return this.#signal;
  }
  get cf() { return loadExtension('platform').cf; }
  clone() {
    if (this.bodyUsed) throw new TypeError('Request.clone: body has already been used');
    const r = new Request(FROM_RAW);
    r.#method = this.#method; r.#url = this.#url; r.#headers = new Headers(this.headers); r.#signal = this.#signal;
    r._setBody(this._cloneBody());
    return r;
  }
}

// ---- Response -------------------------------------------------------------------------
const NULL_BODY_STATUS = [101, 204, 205, 304];
const REDIRECT_STATUS = [301, 302, 303, 307, 308];
class Response extends Body {
  #status = 200; #statusText = ''; #headers; #type = 'default';
  constructor(body = null, init = {}) {
    super();
    init = init || {};
    const status = init.status === undefined ? 200 : Number(init.status);
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`Response: status ${init.status} is outside the range [200, 599]`);
    const statusText = init.statusText === undefined ? '' : String(init.statusText);
    if (/[\r\n]/.test(statusText)) throw new TypeError('Response: invalid statusText');
    this.#status = status; this.#statusText = statusText;
    this.#headers = new Headers(init.headers);
    if (body != null && NULL_BODY_STATUS.includes(status)) throw new TypeError(`Response with null body status ${status} cannot have body`);
    const [b, type] = bodyFrom(body);
    if (type && !this.#headers.has('content-type')) this.#headers.set('content-type', type);
    this._setBody(b);
  }
  static json(data, init = {}) {
    const body = JSON.stringify(data);
    if (body === undefined) throw new TypeError('Response.json: data is not JSON-serialisable');
    const headers = new Headers(init && init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(body, { status: init && init.status, statusText: init && init.statusText, headers });
  }
  static redirect(url, status = 302) {
    if (!REDIRECT_STATUS.includes(status)) throw new RangeError(`Response.redirect: invalid redirect status ${status}`);
    let location = String(url);
    try { location = new URL(location).href; } catch (e) { /* relative: sent as given */ }
    return new Response(null, { status, headers: { location } });
  }
  static error() { const r = new Response(null); r[SET_TYPE]('error'); return r; }
  [SET_TYPE](t) { this.#type = t; if (t === 'error') this.#status = 0; }
  get status() { return this.#status; }
  get statusText() { return this.#statusText; }
  get ok() { return this.#status >= 200 && this.#status <= 299; }
  get headers() { return this.#headers; }
  get type() { return this.#type; }
  get redirected() { return false; }
  get url() { return ''; }
  get webSocket() { return null; }
  clone() {
    if (this.bodyUsed) throw new TypeError('Response.clone: body has already been used');
    const r = new Response(null, { status: this.#status === 0 ? 200 : this.#status, statusText: this.#statusText, headers: this.#headers });
    r._setBody(this._cloneBody());
    if (this.#type !== 'default') r[SET_TYPE](this.#type);
    return r;
  }
}

// ---- handler forms --------------------------------------------------------------------
const listeners = [];
class FetchEvent {
  #request;
  constructor(type, init) { this.type = type; this.#request = init.request; this[RESPONDED] = false; this[RESPONSE] = undefined; }
  get request() { return this.#request; }
  respondWith(r) {
    if (this[RESPONDED]) throw new DOMException('respondWith() was already called', 'InvalidStateError');
    this[RESPONDED] = true; this[RESPONSE] = r;
  }
  waitUntil(p) { ctx.waitUntil(p); }
  passThroughOnException() {}
}
function addEventListener(type, fn) {
  if (type === 'fetch') { if (typeof fn !== 'function') throw new TypeError('addEventListener: listener must be a function'); listeners.push(fn); }
}
function removeEventListener(type, fn) { const i = listeners.indexOf(fn); if (type === 'fetch' && i >= 0) listeners.splice(i, 1); }
const ctx = {
  waitUntil(p) { if (p && typeof p.then === 'function') p.then(undefined, (e) => native.log(4, 'waitUntil promise rejected: ' + describeError(e))); },
  passThroughOnException() {},
};
// No bindings (KV, D1, R2, Durable Objects, service bindings, vars): reading one fails with
// a message that names it rather than a later "undefined is not an object".
const env = new Proxy({}, {
  get(target, k) {
    if (typeof k === 'symbol' || k in target || k === 'then' || k === 'toJSON') return target[k];
    throw new ReferenceError(`env.${k}: Isoring has no bindings (KV, D1, R2, Durable Objects, services, vars); this tenant reads binding "${k}"`);
  },
});
let handler = null;

function install(isModule) {
  delete G.__isoringImport;
  if (isModule) {
    let exp = G.__isoringDefaultExport;
    delete G.__isoringDefaultExport;
    // `export default class extends WorkerEntrypoint { fetch(request) {...} }`
    if (typeof exp === 'function' && exp.prototype && typeof exp.prototype.fetch === 'function') exp = new exp(ctx, env);
    if (exp == null || typeof exp.fetch !== 'function') throw new TypeError('export default must be an object with a fetch(request, env, ctx) method');
    handler = exp;
  } else if (listeners.length === 0) {
    throw new TypeError('script registers no fetch handler: use `export default { fetch(request, env, ctx) {...} }` or addEventListener("fetch", ...)');
  }
}
function describeValue(v) {
  return v === null ? 'null' : typeof v === 'object' ? (v.constructor && v.constructor.name) || 'object' : typeof v;
}
// What native.respond received last, so that a response repeating it (the same header names
// and values in order, the same body string) sends `undefined` for the header block and `true`
// for the body, and the native side reuses its UTF-8 copy instead of converting the strings
// again (Isolate+ResponseValues.swift). Every native.respond call goes through here, or the
// two sides would disagree. Bodies over 1024 code units are not reused (the native side
// keeps at most 3 KiB).
let sentHeaderPairs = null, sentBody = null;
function send(id, r, body) {
  const h = r.headers;
  let block;
  if (h[SAME_AS](sentHeaderPairs)) block = undefined;
  else { sentHeaderPairs = h[PAIRS](); block = h[FLATTEN](); }
  if (typeof body === 'string') {
    if (body === sentBody) body = true;
    else sentBody = body.length <= 1024 ? body : null;
  }
  const statusText = r.statusText;
  native.respond(id, r.status, statusText === '' ? undefined : statusText, block, body);
}
function finish(id, r) {
  try {
    if (!(r instanceof Response)) throw new TypeError(`fetch handler returned ${describeValue(r)}, not a Response`);
    if (r.type === 'error') throw new TypeError('fetch handler returned Response.error()');
    if (r.bodyUsed) throw new TypeError('fetch handler returned a Response whose body was already used');
    const body = r[PEEK]();
    if (isStream(body)) {
      const headers = r.headers[FLATTEN]();
      if (body.locked) throw new TypeError('fetch handler returned a Response whose body stream is locked');
      if (native.streamBegin(id, r.status, r.statusText, headers, streamBody(id, body))) return;
      // No loop to stream to (the runtime called directly): the body is read whole.
      internals.collectStream(body).then((bytes) => send(id, r, bytes),
                                         (e) => native.fail(id, e));
      return;
    }
    send(id, r, body);
  } catch (e) { native.fail(id, e); }
}
// The pump of a streamed response body. The runtime calls the function it returns whenever the
// connection can take more (the first time right after the head is queued), or with `gone` when
// the client is no longer there. Each chunk read goes to native.streamWrite at once, so the
// chunks read in one loop turn leave in that turn's send; 1 means the connection's unsent output
// is at its high-water mark: reading stops until the next call (back-pressure), as it does for
// a stream that has nothing to give yet. A chunk is a Uint8Array, another ArrayBuffer view, an
// ArrayBuffer, or a string (sent as UTF-8).
function streamBody(id, stream) {
  let reader = null;  // taken on the first call: until then the body may still be read whole
  const next = () => {
    reader.read().then(({ value, done }) => {
      if (done) { native.streamEnd(id); return; }
      let state;
      try {
        state = native.streamWrite(id, typeof value === 'string' ? value : toU8(value, 'Response body stream chunk'));
      } catch (e) { native.streamFail(id, e); reader.cancel(e).catch(() => {}); return; }
      if (state === 0) next();
      else if (state === 2) reader.cancel(new TypeError('the client closed the connection')).catch(() => {});
    }, (e) => native.streamFail(id, e));
  };
  return (gone) => {
    if (reader === null) reader = stream.getReader();
    if (gone) reader.cancel(new TypeError('the client closed the connection')).catch(() => {});
    else next();
  };
}
// The request's strings as the native side last sent them: it sends `undefined` for a URL
// prefix ("http://host", or "" for an absolute-form target), target or header block that
// repeats the previous request's, and a known method as its index in METHODS (the native
// side's order, Isolate+RequestValues.swift), so repeating strings are made once.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
let lastPrefix = '', lastTarget = '', lastURL = '', lastHeaders = '';
function dispatch(id, method, prefix, target, rawHeaders, body) {
  if (typeof method === 'number') method = METHODS[method];
  if (prefix !== undefined || target !== undefined) {
    if (prefix !== undefined) lastPrefix = prefix;
    if (target !== undefined) lastTarget = target;
    lastURL = lastPrefix + lastTarget;
  }
  if (rawHeaders === undefined) rawHeaders = lastHeaders; else lastHeaders = rawHeaders;
  let result;
  try {
    const request = Request[FROM_RAW](method, lastURL, rawHeaders, body);
    if (handler !== null) {
      result = handler.fetch(request, env, ctx);
    } else {
      const event = new FetchEvent('fetch', { request });
      for (const l of listeners) { l.call(G, event); if (event[RESPONDED]) break; }
      if (!event[RESPONDED]) throw new TypeError('no "fetch" listener called event.respondWith()');
      result = event[RESPONSE];
    }
  } catch (e) { native.fail(id, e); return; }
  if (result instanceof Response) { finish(id, result); return; }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
    Promise.resolve(result).then((r) => finish(id, r), (e) => native.fail(id, e));
    return;
  }
  finish(id, result);
}
// Runs the request and response paths once with no tenant, so that a pooled context has
// already compiled them (JSC compiles each function on its first call) and a tenant taken
// from the pool pays only for its own script. Leaves no state behind.
function warmUp() {
  const request = Request[FROM_RAW]('GET', 'http://localhost/', 'host:localhost\naccept:*/*\n', null);
  request.headers.get('accept');
  const response = new Response('warm', { headers: { 'content-type': 'text/plain' } });
  response.headers[FLATTEN]();
  response[PEEK]();
  Response.json({ warm: true }).headers[FLATTEN]();
  // install() is called once per tenant; with no listener registered yet it only throws.
  try { install(false); } catch (e) { /* expected: compiles install for the tenant's load */ }
  return response.status + (request.method === 'GET' ? 0 : 1);
}
function onUnhandledRejection(promise, reason) { native.log(4, 'Unhandled promise rejection: ' + describeError(reason)); }

internals.ctx = ctx; internals.env = env; internals.Request = Request; internals.Response = Response;
internals.Headers = Headers; internals.toU8 = toU8; internals.DOMException = DOMException;
internals.setTimeout = setTimeout; internals.clearTimeout = clearTimeout;
const globals = { DOMException, queueMicrotask,
  setTimeout, clearTimeout, setInterval, clearInterval, Headers, Request, Response, FetchEvent,
  addEventListener, removeEventListener, __isoringImport: builtinModule };
for (const k of Object.keys(globals)) Object.defineProperty(G, k, { value: globals[k], writable: true, configurable: true, enumerable: false });
Object.defineProperty(G, 'self', { value: G, writable: true, configurable: true });
return { dispatch, install, fireTimer, fireTimerById, clearTimers, onUnhandledRejection, describeError, warmUp };
})
