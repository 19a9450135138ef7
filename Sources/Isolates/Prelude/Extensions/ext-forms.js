// ext-forms.js: Blob, File and FormData (File API, XHR Standard), and the body parser behind
// request.formData() for application/x-www-form-urlencoded and multipart/form-data (RFC 7578).
// Loaded on the first use of any of them.
(function (internals) {
"use strict";
const { define, native, toU8, BODY_INIT } = internals;

function concatBytes(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

class Blob {
  #bytes; #type;
  constructor(parts = [], options = {}) {
    const chunks = [];
    for (const p of parts) {
      if (p instanceof Blob) chunks.push(p.#bytes);
      else if (p instanceof ArrayBuffer || ArrayBuffer.isView(p)) chunks.push(toU8(p, 'Blob').slice());
      else chunks.push(native.encode(String(p)));
    }
    this.#bytes = concatBytes(chunks);
    const t = options.type === undefined ? '' : String(options.type);
    this.#type = /[^\u0020-\u007E]/.test(t) ? '' : t.toLowerCase();
  }
  get size() { return this.#bytes.length; }
  get type() { return this.#type; }
  slice(start = 0, end = this.#bytes.length, type = '') {
    const n = this.#bytes.length;
    const rel = (x) => (x < 0 ? Math.max(n + x, 0) : Math.min(x, n));
    return new Blob([this.#bytes.subarray(rel(start), rel(end))], { type });
  }
  async text() { return native.decode(this.#bytes); }
  async arrayBuffer() { return this.#bytes.slice().buffer; }
  async bytes() { return this.#bytes.slice(); }
  [BODY_INIT]() { return [this.#bytes, this.#type || null]; }
  get [Symbol.toStringTag]() { return 'Blob'; }
}

class File extends Blob {
  #name; #lastModified;
  constructor(parts, name, options = {}) {
    if (arguments.length < 2) throw new TypeError('File: a name is required');
    super(parts, options);
    this.#name = String(name);
    this.#lastModified = options.lastModified === undefined ? Date.now() : Number(options.lastModified);
  }
  get name() { return this.#name; }
  get lastModified() { return this.#lastModified; }
  get [Symbol.toStringTag]() { return 'File'; }
}

function entryValue(value, filename) {
  if (value instanceof Blob) {
    if (value instanceof File && filename === undefined) return value;
    return new File([value], filename === undefined ? 'blob' : String(filename), { type: value.type });
  }
  return String(value);
}

class FormData {
  #entries = [];
  constructor(form) { if (form !== undefined) throw new TypeError('FormData: a form element is not supported here'); }
  append(name, value, filename) { this.#entries.push([String(name), entryValue(value, filename)]); }
  set(name, value, filename) {
    name = String(name);
    const v = entryValue(value, filename);
    const i = this.#entries.findIndex((e) => e[0] === name);
    if (i < 0) { this.#entries.push([name, v]); return; }
    this.#entries[i] = [name, v];
    this.#entries = this.#entries.filter((e, j) => j <= i || e[0] !== name);
  }
  get(name) { const e = this.#entries.find((x) => x[0] === String(name)); return e ? e[1] : null; }
  getAll(name) { return this.#entries.filter((x) => x[0] === String(name)).map((x) => x[1]); }
  has(name) { return this.#entries.some((x) => x[0] === String(name)); }
  delete(name) { this.#entries = this.#entries.filter((x) => x[0] !== String(name)); }
  *entries() { for (const e of this.#entries.slice()) yield [e[0], e[1]]; }
  *keys() { for (const [k] of this.entries()) yield k; }
  *values() { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator]() { return this.entries(); }
  forEach(cb, thisArg) { for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this); }
  // multipart/form-data as browsers send it: CRLF line breaks, quotes and CR/LF in names escaped.
  [BODY_INIT]() {
    const boundary = '----isoring' + Array.from(native.random(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
    const esc = (s) => s.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
    const chunks = [];
    for (const [name, value] of this.#entries) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${esc(name)}"`;
      if (typeof value === 'string') {
        chunks.push(native.encode(head + '\r\n\r\n' + value.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n') + '\r\n'));
      } else {
        head += `; filename="${esc(value.name)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
        chunks.push(native.encode(head), value[BODY_INIT]()[0], native.encode('\r\n'));
      }
    }
    chunks.push(native.encode(`--${boundary}--\r\n`));
    return [concatBytes(chunks), 'multipart/form-data; boundary=' + boundary];
  }
  get [Symbol.toStringTag]() { return 'FormData'; }
}

function indexOf(bytes, needle, from) {
  const first = needle[0], last = bytes.length - needle.length;
  outer: for (let i = from; i <= last; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
function parameter(header, name) {
  const m = new RegExp(`;\\s*${name}\\*?=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}
function parseMultipart(contentType, bytes) {
  const boundary = parameter(contentType, 'boundary');
  if (!boundary) throw new TypeError('formData: multipart/form-data without a boundary parameter');
  const delimiter = native.encode('--' + boundary);
  const form = new FormData();
  let at = indexOf(bytes, delimiter, 0);
  if (at < 0) throw new TypeError('formData: multipart body has no boundary delimiter');
  for (;;) {
    at += delimiter.length;
    if (bytes[at] === 0x2D && bytes[at + 1] === 0x2D) return form;  // closing delimiter
    const headEnd = indexOf(bytes, native.encode('\r\n\r\n'), at);
    if (headEnd < 0) throw new TypeError('formData: multipart part without a blank line after its headers');
    const next = indexOf(bytes, native.encode('\r\n--' + boundary), headEnd + 4);
    if (next < 0) throw new TypeError('formData: multipart body ends without its closing boundary');
    const head = native.decode(bytes.subarray(at, headEnd));
    let disposition = '', type = '';
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const k = line.slice(0, colon).trim().toLowerCase(), v = line.slice(colon + 1).trim();
      if (k === 'content-disposition') disposition = v; else if (k === 'content-type') type = v;
    }
    const name = parameter(disposition, 'name');
    if (name === undefined) throw new TypeError('formData: multipart part without a name');
    const filename = parameter(disposition, 'filename');
    const data = bytes.subarray(headEnd + 4, next);
    if (filename !== undefined) form.append(name, new File([data], filename, { type }));
    else form.append(name, native.decode(data));
    at = next + 2;
  }
}
function parseFormData(contentType, bytes) {
  const essence = contentType.split(';')[0].trim().toLowerCase();
  if (essence === 'multipart/form-data') return parseMultipart(contentType, bytes);
  if (essence === 'application/x-www-form-urlencoded') {
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(native.decode(bytes))) form.append(k, v);
    return form;
  }
  throw new TypeError(`formData: content-type "${contentType}" is neither multipart/form-data nor application/x-www-form-urlencoded`);
}

internals.Blob = Blob;
internals.parseFormData = parseFormData;
for (const [k, v] of Object.entries({ Blob, File, FormData })) define(k, v);
})
