// ext-fetch.js: fetch() (Fetch Standard, the parts a worker meets), loaded on its first use.
// The exchange itself runs in Swift on the loop's I/O (native.fetch); this file builds the
// request, follows redirects as `init.redirect` says, honours AbortSignal and builds the Response.
(function (internals) {
"use strict";
const { native, define, Request, Response, Headers, PEEK, DOMException } = internals;
const REDIRECTS = [301, 302, 303, 307, 308];
const NULL_BODY = [101, 204, 205, 304];
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade']);
const MAX_REDIRECTS = 20;

function abortReason(signal) {
  return signal.reason !== undefined ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

// One request/response exchange with a backend; resolves with a Response.
function exchange(method, url, headers, body, signal) {
  return new Promise((resolve, reject) => {
    let u;
    try { u = new URL(url); } catch (e) { reject(new TypeError(`fetch: invalid URL "${url}"`)); return; }
    if (u.protocol !== 'http:') {
      reject(new TypeError(`fetch: only http:// backends can be reached (${u.protocol}// is not supported): ${url}`));
      return;
    }
    let lines = '';
    for (const [k, v] of headers) if (!HOP_BY_HOP.has(k)) lines += k + ': ' + v + '\r\n';
    const port = u.port === '' ? 80 : Number(u.port);
    let settled = false, onAbort = null;
    const id = native.fetch((status, text, headerBlock, bytes) => {
      if (settled) return;
      settled = true;
      if (onAbort !== null) signal.removeEventListener('abort', onAbort);
      if (status === 0) { reject(new TypeError(`fetch ${method} ${url}: ${text}`)); return; }
      if (status < 200 || status > 599) { reject(new TypeError(`fetch ${method} ${url}: unsupported response status ${status}`)); return; }
      const h = new Headers();
      for (const line of headerBlock.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) { try { h.append(line.slice(0, colon), line.slice(colon + 1)); } catch (e) { /* drop a field Headers refuses */ } }
      }
      const r = new Response(NULL_BODY.includes(status) ? null : bytes, { status, statusText: text, headers: h });
      Object.defineProperty(r, 'url', { value: url, configurable: true });
      resolve(r);
    }, method, u.hostname, port, u.pathname + u.search, u.host, lines, body);
    if (typeof id === 'string') { settled = true; reject(new TypeError(id)); return; }
    if (signal) {
      onAbort = () => {
        if (settled) return;
        settled = true;
        native.fetchAbort(id);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort);
    }
  });
}

async function fetch(input, init) {
  init = init || {};
  const request = new Request(input, init);
  const signal = init.signal != null ? init.signal : (input instanceof Request && init.signal === undefined ? input.signal : null);
  const redirect = init.redirect !== undefined ? String(init.redirect) : 'follow';
  if (!['follow', 'manual', 'error'].includes(redirect)) throw new TypeError(`fetch: invalid redirect mode "${redirect}"`);
  if (signal && signal.aborted) throw abortReason(signal);
  let method = request.method, url = request.url, body = request[PEEK]();
  // A stream body is read whole first (it goes out with a content-length).
  if (body !== null && typeof body === 'object' && typeof body.getReader === 'function') body = await internals.collectStream(body);
  const headers = new Headers(request.headers);
  for (let hops = 0; ; hops++) {
    const response = await exchange(method, url, headers, body, signal);
    if (!REDIRECTS.includes(response.status) || redirect === 'manual') {
      if (hops > 0) Object.defineProperty(response, 'redirected', { value: true, configurable: true });
      return response;
    }
    const location = response.headers.get('location');
    if (location === null) return response;
    if (redirect === 'error') throw new TypeError(`fetch ${method} ${url}: redirected (${response.status}) to ${location} with redirect: "error"`);
    if (hops >= MAX_REDIRECTS) throw new TypeError(`fetch ${url}: more than ${MAX_REDIRECTS} redirects`);
    url = new URL(location, url).href;
    // 303, and 301/302 after POST, continue as GET without a body (Fetch Standard, HTTP-redirect fetch).
    if (response.status === 303 ? method !== 'HEAD' : ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET'; body = null;
      for (const k of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(k);
    }
  }
}

define('fetch', fetch);
})
