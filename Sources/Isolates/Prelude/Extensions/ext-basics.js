// ext-basics.js: console (with Node-style formatting), TextEncoder, TextDecoder, atob, btoa,
// structuredClone and crypto (getRandomValues, randomUUID; crypto.subtle loads ext-subtle.js).
// Loaded on the first use of any of them, or when the prelude first describes an error.
(function (internals) {
"use strict";
const { native, define, loadExtension, isLoaded, toU8, DOMException, G } = internals;
const LEVEL = { debug: 0, log: 1, info: 2, warn: 3, error: 4 };
const Headers = internals.Headers;

// ---- console --------------------------------------------------------------------------
function inspect(v, depth, seen) {
  switch (typeof v) {
    case 'string': return depth === 0 ? v : JSON.stringify(v);
    case 'undefined': return 'undefined';
    case 'function': return `[Function: ${v.name || 'anonymous'}]`;
    case 'symbol': return v.toString();
    case 'bigint': return v + 'n';
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'boolean': return String(v);
  }
  if (v === null) return 'null';
  if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}` : `${v.name}: ${v.message}`;
  if (seen.includes(v)) return '[Circular]';
  if (depth > 3) return Array.isArray(v) ? '[Array]' : '[Object]';
  seen = seen.concat([v]);
  if (Array.isArray(v)) return '[ ' + v.map((x) => inspect(x, depth + 1, seen)).join(', ') + ' ]';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) return `Map(${v.size}) { ` + Array.from(v, ([k, x]) => inspect(k, depth + 1, seen) + ' => ' + inspect(x, depth + 1, seen)).join(', ') + ' }';
  if (v instanceof Set) return `Set(${v.size}) { ` + Array.from(v, (x) => inspect(x, depth + 1, seen)).join(', ') + ' }';
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length}) [ ${Array.prototype.slice.call(v, 0, 50).join(', ')} ]`;
  if (v instanceof Headers || v instanceof URLSearchParams) return `${v.constructor.name} { ` + Array.from(v, ([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ') + ' }';
  if (typeof URL === 'function' && v instanceof URL) return `URL ${v.href}`;
  if (v instanceof Promise) return 'Promise { }';
  const keys = Object.keys(v);
  const name = v.constructor && v.constructor !== Object && v.constructor.name ? v.constructor.name + ' ' : '';
  if (keys.length === 0) return name + '{}';
  return name + '{ ' + keys.map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ': ' + inspect(v[k], depth + 1, seen)).join(', ') + ' }';
}
function format(args) {
  let out = '', i = 0;
  if (typeof args[0] === 'string' && args[0].includes('%')) {
    i = 1;
    out = args[0].replace(/%[sdifoOjc%]/g, (m) => {
      if (m === '%%') return '%';
      if (i >= args.length) return m;
      const a = args[i++];
      switch (m) {
        case '%s': return typeof a === 'string' ? a : inspect(a, 1, []);
        case '%d': case '%i': return String(m === '%i' ? Math.trunc(Number(a)) : Number(a));
        case '%f': return String(Number(a));
        case '%j': try { return JSON.stringify(a); } catch (e) { return '[Circular]'; }
        case '%c': return '';
        default: return inspect(a, 1, []);
      }
    });
  }
  for (; i < args.length; i++) out += (out.length || i > 0 ? ' ' : '') + inspect(args[i], 0, []);
  return out;
}
const console = {};
for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  const level = name === 'trace' ? 0 : LEVEL[name];
  console[name] = function (...args) { native.log(level, format(args)); };
}
console.assert = function (cond, ...args) { if (!cond) native.log(4, 'Assertion failed' + (args.length ? ': ' + format(args) : '')); };
console.dir = function (v) { native.log(1, inspect(v, 1, [])); };
console.table = console.log;
console.time = console.timeEnd = console.timeLog = console.group = console.groupEnd = console.count = function () {};
function describeError(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}` + (e.stack ? '\n' + e.stack : '');
  return 'Uncaught ' + inspect(e, 1, []);
}

// ---- encoding -------------------------------------------------------------------------
class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(s = '') { return native.encode(String(s)); }
  encodeInto(s, dest) {
    s = String(s);
    let read = 0, written = 0;
    for (const ch of s) {
      const bytes = native.encode(ch);
      if (written + bytes.length > dest.length) break;
      dest.set(bytes, written); written += bytes.length; read += ch.length;
    }
    return { read, written };
  }
}
class TextDecoder {
  #fatal; #ignoreBOM;
  constructor(label = 'utf-8', options = {}) {
    const l = String(label).trim().toLowerCase();
    if (l !== 'utf-8' && l !== 'utf8' && l !== 'unicode-1-1-utf-8') throw new RangeError(`TextDecoder: unsupported encoding "${label}" (only utf-8)`);
    this.#fatal = !!options.fatal; this.#ignoreBOM = !!options.ignoreBOM;
  }
  get encoding() { return 'utf-8'; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
  decode(input, options) {
    if (input === undefined) return '';
    let s = native.decode(toU8(input, 'TextDecoder.decode'));
    if (!this.#ignoreBOM && s.charCodeAt(0) === 0xFEFF) s = s.slice(1);
    if (this.#fatal && s.includes('\uFFFD')) throw new TypeError('TextDecoder: invalid UTF-8 data');
    return s;
  }
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function btoa(s) {
  s = String(s);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
    if (a > 255 || b > 255 || c > 255) throw new DOMException('btoa: string contains characters outside Latin-1', 'InvalidCharacterError');
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < s.length ? B64[n & 63] : '=');
  }
  return out;
}
function atob(s) {
  s = String(s).replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new DOMException('atob: invalid base64', 'InvalidCharacterError');
  let out = '', bits = 0, n = 0;
  for (let i = 0; i < s.length; i++) {
    n = (n << 6) | B64.indexOf(s[i]); bits += 6;
    if (bits >= 8) { bits -= 8; out += String.fromCharCode((n >> bits) & 255); }
  }
  return out;
}

// ---- structuredClone ------------------------------------------------------------------
function structuredClone(value) {
  const seen = new Map();
  function clone(v) {
    if (typeof v === 'function' || typeof v === 'symbol') throw new DOMException('structuredClone: value could not be cloned', 'DataCloneError');
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    let out;
    if (Array.isArray(v)) { out = []; seen.set(v, out); v.forEach((x, i) => { out[i] = clone(x); }); return out; }
    if (v instanceof Date) return new Date(v.getTime());
    if (v instanceof RegExp) return new RegExp(v.source, v.flags);
    if (v instanceof ArrayBuffer) return v.slice(0);
    if (v instanceof DataView) return new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    if (ArrayBuffer.isView(v)) return new v.constructor(v);
    if (v instanceof Boolean || v instanceof Number || v instanceof String) return Object(v.valueOf());
    // Blob and File (only once their extension is loaded: a value cannot be one before).
    if (isLoaded('forms') && v instanceof internals.Blob) {
      return v instanceof G.File ? new G.File([v], v.name, { type: v.type, lastModified: v.lastModified }) : v.slice(0, v.size, v.type);
    }
    if (v instanceof Map) { out = new Map(); seen.set(v, out); v.forEach((x, k) => out.set(clone(k), clone(x))); return out; }
    if (v instanceof Set) { out = new Set(); seen.set(v, out); v.forEach((x) => out.add(clone(x))); return out; }
    if (v instanceof Error) { out = new v.constructor(v.message); seen.set(v, out); return out; }
    out = {}; seen.set(v, out);
    for (const k of Object.keys(v)) out[k] = clone(v[k]);
    return out;
  }
  return clone(value);
}
// ---- crypto ---------------------------------------------------------------------------
const crypto = {
  // crypto.subtle and CryptoKey load their extension on first read.
  get subtle() { return loadExtension('subtle').subtle; },
  getRandomValues(array) {
    if (!ArrayBuffer.isView(array) || array instanceof DataView || array instanceof Float32Array || array instanceof Float64Array)
      throw new DOMException('getRandomValues: argument must be an integer typed array', 'TypeMismatchError');
    if (array.byteLength > 65536) throw new DOMException('getRandomValues: more than 65536 bytes requested', 'QuotaExceededError');
    native.random(array);
    return array;
  },
  randomUUID() {
    const b = native.random(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    let h = '';
    for (let i = 0; i < 16; i++) { h += (b[i] < 16 ? '0' : '') + b[i].toString(16); if (i === 3 || i === 5 || i === 7 || i === 9) h += '-'; }
    return h;
  },
};

internals.describeError = describeError;
for (const [k, v] of Object.entries({ console, TextEncoder, TextDecoder, atob, btoa, structuredClone, crypto })) define(k, v);
})
