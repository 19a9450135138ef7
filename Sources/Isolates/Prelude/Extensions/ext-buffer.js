// ext-buffer.js: the subset of Node's Buffer that Workers' nodejs_compat gives and bundled
// npm packages use most (from/alloc/concat/byteLength/compare, toString and write in utf8,
// hex, base64, base64url, latin1/binary, ascii; integer reads and writes). Loaded on the first
// use of `Buffer` or an import of "node:buffer"/"buffer".
(function (internals) {
"use strict";
const { define, native } = internals;
const ENCODINGS = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2'];
function encodingOf(e) {
  const enc = e === undefined ? 'utf8' : String(e).toLowerCase();
  if (!ENCODINGS.includes(enc)) throw new TypeError(`Unknown encoding: ${e}`);
  return enc;
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function toBase64(b, alphabet, pad) {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] || 0) << 8) | (b[i + 2] || 0);
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63];
    out += i + 1 < b.length ? alphabet[(n >> 6) & 63] : pad ? '=' : '';
    out += i + 2 < b.length ? alphabet[n & 63] : pad ? '=' : '';
  }
  return out;
}
function fromBase64(s) {
  const out = [];
  let bits = 0, n = 0;
  for (const ch of s) {
    let v = B64.indexOf(ch);
    if (v < 0) v = ch === '-' ? 62 : ch === '_' ? 63 : -1;
    if (v < 0) { if (ch === '=') break; continue; }   // Node skips characters outside the alphabet
    n = (n << 6) | v; bits += 6;
    if (bits >= 8) { bits -= 8; out.push((n >> bits) & 255); }
  }
  return out;
}
function bytesOf(string, enc) {
  switch (enc) {
    case 'utf8': case 'utf-8': return native.encode(string);
    case 'hex': {
      const out = [];
      for (let i = 0; i + 1 < string.length; i += 2) {
        const v = parseInt(string.slice(i, i + 2), 16);
        if (Number.isNaN(v)) break;
        out.push(v);
      }
      return out;
    }
    case 'base64': case 'base64url': return fromBase64(string);
    case 'utf16le': case 'ucs2': {
      const out = [];
      for (let i = 0; i < string.length; i++) { const c = string.charCodeAt(i); out.push(c & 255, c >> 8); }
      return out;
    }
    default: return Array.from(string, (c) => c.charCodeAt(0) & 255);
  }
}

class Buffer extends Uint8Array {
  static from(value, encodingOrOffset, length) {
    if (typeof value === 'string') return fromArrayLike(bytesOf(value, encodingOf(encodingOrOffset)));
    if (value instanceof ArrayBuffer) return new Buffer(value, encodingOrOffset || 0, length === undefined ? value.byteLength - (encodingOrOffset || 0) : length);
    if (ArrayBuffer.isView(value) || Array.isArray(value)) return fromArrayLike(value);
    if (value && value.type === 'Buffer' && Array.isArray(value.data)) return fromArrayLike(value.data);
    throw new TypeError('Buffer.from: argument must be a string, an array, an ArrayBuffer or a view');
  }
  static alloc(size, fill = 0, encoding) {
    const b = new Buffer(size);
    if (fill !== 0) b.fill(fill, 0, size, encoding);
    return b;
  }
  static allocUnsafe(size) { return new Buffer(size); }
  static isBuffer(b) { return b instanceof Buffer; }
  static isEncoding(e) { return typeof e === 'string' && ENCODINGS.includes(e.toLowerCase()); }
  static byteLength(s, enc) {
    if (typeof s !== 'string') return s.byteLength;
    return bytesOf(s, encodingOf(enc)).length;
  }
  static concat(list, total) {
    if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
    const out = Buffer.alloc(total);
    let at = 0;
    for (const b of list) { if (at >= total) break; out.set(b.subarray(0, total - at), at); at += b.length; }
    return out;
  }
  static compare(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  toString(encoding, start = 0, end = this.length) {
    const b = this.subarray(start, end);
    switch (encodingOf(encoding)) {
      case 'utf8': case 'utf-8': return native.decode(b);
      case 'hex': return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      case 'base64': return toBase64(b, B64, true);
      case 'base64url': return toBase64(b, B64URL, false);
      case 'ascii': return String.fromCharCode(...Array.from(b, (x) => x & 127));
      case 'utf16le': case 'ucs2': { let s = ''; for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8)); return s; }
      default: { let s = ''; for (const x of b) s += String.fromCharCode(x); return s; }
    }
  }
  write(string, offset = 0, length = this.length - offset, encoding = 'utf8') {
    if (typeof offset === 'string') { encoding = offset; offset = 0; length = this.length; }
    const bytes = bytesOf(string, encodingOf(encoding));
    const n = Math.min(bytes.length, length, this.length - offset);
    for (let i = 0; i < n; i++) this[offset + i] = bytes[i];
    return n;
  }
  fill(value, start = 0, end = this.length, encoding) {
    if (typeof start === 'string') { encoding = start; start = 0; end = this.length; }
    if (typeof value === 'string') {
      const bytes = bytesOf(value, encodingOf(encoding));
      for (let i = start, j = 0; i < end && bytes.length; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
      return this;
    }
    return super.fill(value, start, end);
  }
  equals(other) { return Buffer.compare(this, other) === 0; }
  compare(other) { return Buffer.compare(this, other); }
  copy(target, targetStart = 0, start = 0, end = this.length) {
    const chunk = this.subarray(start, Math.min(end, start + target.length - targetStart));
    target.set(chunk, targetStart);
    return chunk.length;
  }
  slice(start, end) { return this.subarray(start, end); }
  subarray(start, end) {
    const v = Uint8Array.prototype.subarray.call(this, start, end);
    return new Buffer(v.buffer, v.byteOffset, v.length);
  }
  toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
  readUInt8(o = 0) { return this[o]; }
  readUInt16BE(o = 0) { return new DataView(this.buffer, this.byteOffset).getUint16(o); }
  readUInt16LE(o = 0) { return new DataView(this.buffer, this.byteOffset).getUint16(o, true); }
  readUInt32BE(o = 0) { return new DataView(this.buffer, this.byteOffset).getUint32(o); }
  readUInt32LE(o = 0) { return new DataView(this.buffer, this.byteOffset).getUint32(o, true); }
  readInt32BE(o = 0) { return new DataView(this.buffer, this.byteOffset).getInt32(o); }
  writeUInt8(v, o = 0) { this[o] = v; return o + 1; }
  writeUInt16BE(v, o = 0) { new DataView(this.buffer, this.byteOffset).setUint16(o, v); return o + 2; }
  writeUInt32BE(v, o = 0) { new DataView(this.buffer, this.byteOffset).setUint32(o, v); return o + 4; }
  writeUInt32LE(v, o = 0) { new DataView(this.buffer, this.byteOffset).setUint32(o, v, true); return o + 4; }
}
Buffer.poolSize = 8192;
function fromArrayLike(a) {
  const b = new Buffer(a.length);
  for (let i = 0; i < a.length; i++) b[i] = a[i] & 255;
  return b;
}

const mod = { Buffer, kMaxLength: 2 ** 31 - 1, constants: { MAX_LENGTH: 2 ** 31 - 1 } };
mod.default = mod;
internals.modules['node:buffer'] = internals.modules['buffer'] = mod;
define('Buffer', Buffer);
})
