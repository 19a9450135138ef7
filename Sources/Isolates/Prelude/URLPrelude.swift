// URLPrelude: PLACEHOLDER URL and URLSearchParams (replaced wholesale by the WHATWG URL work).

/// JavaScript evaluated as a classic script in every tenant context before the Workers
/// prelude. Contract: it defines `globalThis.URL` and `globalThis.URLSearchParams`.
/// This placeholder handles absolute http(s) URLs and simple relative references only.
public enum URLPrelude {
    public static let source: String = #"""
(function () {
"use strict";
const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return s; } };
class URLSearchParams {
  #list = []; #url = null;
  constructor(init) {
    if (init == null) return;
    if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const p of init) this.#list.push([String(p[0]), String(p[1])]);
    } else if (typeof init === 'object') {
      for (const k of Object.keys(init)) this.#list.push([k, String(init[k])]);
    } else {
      let s = String(init); if (s[0] === '?') s = s.slice(1);
      for (const part of s.split('&')) {
        if (part === '') continue;
        const i = part.indexOf('=');
        this.#list.push(i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
      }
    }
  }
  static _attach(p, url) { p.#url = url; return p; }
  #update() { if (this.#url) this.#url._setSearch(this.toString()); }
  get size() { return this.#list.length; }
  append(k, v) { this.#list.push([String(k), String(v)]); this.#update(); }
  delete(k) { k = String(k); this.#list = this.#list.filter((p) => p[0] !== k); this.#update(); }
  get(k) { k = String(k); const p = this.#list.find((p) => p[0] === k); return p ? p[1] : null; }
  getAll(k) { k = String(k); return this.#list.filter((p) => p[0] === k).map((p) => p[1]); }
  has(k) { k = String(k); return this.#list.some((p) => p[0] === k); }
  set(k, v) {
    k = String(k); v = String(v);
    const i = this.#list.findIndex((p) => p[0] === k);
    if (i < 0) this.#list.push([k, v]);
    else { this.#list[i][1] = v; this.#list = this.#list.filter((p, j) => j <= i || p[0] !== k); }
    this.#update();
  }
  sort() { this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this.#update(); }
  forEach(cb, thisArg) { for (const [k, v] of this.#list) cb.call(thisArg, v, k, this); }
  *entries() { for (const p of this.#list) yield [p[0], p[1]]; }
  *keys() { for (const p of this.#list) yield p[0]; }
  *values() { for (const p of this.#list) yield p[1]; }
  [Symbol.iterator]() { return this.entries(); }
  toString() { return this.#list.map(([k, v]) => enc(k) + '=' + enc(v)).join('&'); }
}
const RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:([^:@\/]*)(?::([^@\/]*))?@)?(\[[^\]]*\]|[^:\/?#]*)(?::(\d*))?([^?#]*)(\?[^#]*)?(#.*)?$/;
const DEFAULT_PORTS = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
function normalizePath(p) {
  const out = [];
  for (const seg of p.split('/').slice(1)) {
    if (seg === '..') { if (out.length) out.pop(); } else if (seg !== '.') out.push(seg);
  }
  const last = p.split('/').pop();
  if (last === '.' || last === '..') out.push('');
  return '/' + out.join('/');
}
class URL {
  #p; #sp = null;
  constructor(input, base) {
    input = String(input).trim();
    let m = RE.exec(input);
    if (!m && base !== undefined) {
      const b = base instanceof URL ? base : new URL(String(base));
      let rest;
      if (input.startsWith('//')) rest = b.protocol + input;
      else if (input.startsWith('/')) rest = b.origin + input;
      else if (input.startsWith('?')) rest = b.origin + b.pathname + input;
      else if (input.startsWith('#')) rest = b.origin + b.pathname + b.search + input;
      else rest = b.origin + b.pathname.replace(/[^\/]*$/, '') + input;
      m = RE.exec(rest);
    }
    if (!m) throw new TypeError(`Invalid URL: ${input}`);
    const protocol = m[1].toLowerCase() + ':';
    let port = m[5] || '';
    if (DEFAULT_PORTS[protocol] === port) port = '';
    this.#p = { protocol, username: m[2] || '', password: m[3] || '', hostname: m[4].toLowerCase(), port,
      pathname: normalizePath(m[6] || '/') , search: m[7] && m[7] !== '?' ? m[7] : '', hash: m[8] && m[8] !== '#' ? m[8] : '' };
    if (!this.#p.hostname && (protocol === 'http:' || protocol === 'https:')) throw new TypeError(`Invalid URL: ${input}`);
  }
  static canParse(u, b) { try { new URL(u, b); return true; } catch (e) { return false; } }
  _setSearch(s) { this.#p.search = s ? '?' + s : ''; }
  get protocol() { return this.#p.protocol; }
  get username() { return this.#p.username; }
  get password() { return this.#p.password; }
  get hostname() { return this.#p.hostname; }
  set hostname(v) { this.#p.hostname = String(v).toLowerCase(); }
  get port() { return this.#p.port; }
  set port(v) { this.#p.port = String(v); }
  get host() { return this.#p.hostname + (this.#p.port ? ':' + this.#p.port : ''); }
  get origin() { return this.#p.protocol + '//' + this.host; }
  get pathname() { return this.#p.pathname; }
  set pathname(v) { v = String(v); this.#p.pathname = v.startsWith('/') ? v : '/' + v; }
  get search() { return this.#p.search; }
  set search(v) { v = String(v); if (v.startsWith('?')) v = v.slice(1); this.#p.search = v ? '?' + v : ''; this.#sp = null; }
  get hash() { return this.#p.hash; }
  set hash(v) { v = String(v); if (v.startsWith('#')) v = v.slice(1); this.#p.hash = v ? '#' + v : ''; }
  get searchParams() {
    if (!this.#sp) this.#sp = URLSearchParams._attach(new URLSearchParams(this.#p.search), this);
    return this.#sp;
  }
  get href() {
    const p = this.#p;
    const auth = p.username ? p.username + (p.password ? ':' + p.password : '') + '@' : '';
    return p.protocol + '//' + auth + this.host + p.pathname + p.search + p.hash;
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
}
globalThis.URL = URL;
globalThis.URLSearchParams = URLSearchParams;
})();
"""#
}
