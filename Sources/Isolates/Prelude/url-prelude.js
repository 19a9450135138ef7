// url-prelude.js: the WHATWG URL Standard (URL, URLSearchParams) in plain JavaScript for JSC contexts.
// See URLPrelude.swift for why it exists and how it is loaded.
(function () {
"use strict";

// ---- Code points, UTF-8 and percent-encoding ----------------------------------------------

const EOF = -1;
const SPECIAL_PORTS = { "ftp": 21, "file": null, "http": 80, "https": 443, "ws": 80, "wss": 443 };
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isSpecialScheme = (s) => hasOwn(SPECIAL_PORTS, s);
const defaultPort = (s) => (hasOwn(SPECIAL_PORTS, s) ? SPECIAL_PORTS[s] : null);

const isDigit = (c) => c >= 0x30 && c <= 0x39;
const isAlpha = (c) => (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A);
const isHex = (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexValue = (c) => (isDigit(c) ? c - 0x30 : (c | 0x20) - 0x57);

// The IDL USVString conversion: lone surrogates become U+FFFD.
function toUSV(value) {
  const s = String(value);
  let out = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      const n = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (n >= 0xDC00 && n <= 0xDFFF) { i++; continue; }
    } else if (!(u >= 0xDC00 && u <= 0xDFFF)) {
      continue;
    }
    out += s.slice(start, i) + "\uFFFD";
    start = i + 1;
  }
  return start === 0 ? s : out + s.slice(start);
}

function codePoints(s) {
  const out = [];
  for (const ch of s) out.push(ch.codePointAt(0));
  return out;
}

function utf8Bytes(c) {
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xC0 | (c >> 6), 0x80 | (c & 63)];
  if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
  if (c < 0x10000) return [0xE0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
  return [0xF0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
}

function utf8Encode(s) {
  const out = [];
  for (const c of codePoints(s)) for (const b of utf8Bytes(c)) out.push(b);
  return out;
}

// UTF-8 decode without BOM, replacing each maximal invalid subpart with U+FFFD (Encoding Standard).
function utf8Decode(bytes) {
  let out = "";
  let needed = 0, seen = 0, cp = 0, lower = 0x80, upper = 0xBF;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length) { if (needed !== 0) out += "\uFFFD"; break; }
    const b = bytes[i];
    if (needed === 0) {
      if (b <= 0x7F) { out += String.fromCharCode(b); continue; }
      if (b >= 0xC2 && b <= 0xDF) { needed = 1; cp = b & 0x1F; }
      else if (b >= 0xE0 && b <= 0xEF) {
        if (b === 0xE0) lower = 0xA0;
        if (b === 0xED) upper = 0x9F;
        needed = 2; cp = b & 0xF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b === 0xF0) lower = 0x90;
        if (b === 0xF4) upper = 0x8F;
        needed = 3; cp = b & 0x7;
      } else out += "\uFFFD";
      continue;
    }
    if (b < lower || b > upper) {
      cp = needed = seen = 0; lower = 0x80; upper = 0xBF;
      out += "\uFFFD";
      i--;
      continue;
    }
    lower = 0x80; upper = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
    if (++seen === needed) {
      out += String.fromCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  return out;
}

const HEX = "0123456789ABCDEF";
const pctByte = (b) => "%" + HEX[b >> 4] + HEX[b & 15];

// Percent-encode sets, each a predicate over a code point.
const inC0Set = (c) => c < 0x20 || c > 0x7E;
const inFragmentSet = (c) => inC0Set(c) || c === 0x20 || c === 0x22 || c === 0x3C || c === 0x3E || c === 0x60;
const inQuerySet = (c) => inC0Set(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3C || c === 0x3E;
const inSpecialQuerySet = (c) => inQuerySet(c) || c === 0x27;
const inPathSet = (c) => inQuerySet(c) || c === 0x3F || c === 0x60 || c === 0x7B || c === 0x7D;
const inUserinfoSet = (c) => inPathSet(c) || c === 0x2F || c === 0x3A || c === 0x3B || c === 0x3D ||
  c === 0x40 || (c >= 0x5B && c <= 0x5E) || c === 0x7C;
const inComponentSet = (c) => inUserinfoSet(c) || (c >= 0x24 && c <= 0x26) || c === 0x2B || c === 0x2C;
const inFormSet = (c) => inComponentSet(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7E;

function encodeCodePoint(c, inSet) {
  if (!inSet(c)) return String.fromCodePoint(c);
  let out = "";
  for (const b of utf8Bytes(c)) out += pctByte(b);
  return out;
}

function encodeString(s, inSet, spaceAsPlus) {
  let out = "";
  for (const c of codePoints(s)) {
    out += spaceAsPlus && c === 0x20 ? "+" : encodeCodePoint(c, inSet);
  }
  return out;
}

function percentDecodeBytes(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out.push(hexValue(bytes[i + 1]) * 16 + hexValue(bytes[i + 2]));
      i += 2;
    } else {
      out.push(b);
    }
  }
  return out;
}

// ---- Hosts -----------------------------------------------------------------------------------

const FAILURE = null;

// Forbidden host code points: NUL, TAB, LF, CR, space, # / : < > ? @ [ \ ] ^ |
function isForbiddenHost(c) {
  return c === 0 || c === 9 || c === 0xA || c === 0xD || c === 0x20 || c === 0x23 || c === 0x2F ||
    c === 0x3A || c === 0x3C || c === 0x3E || c === 0x3F || c === 0x40 || c === 0x5B ||
    c === 0x5C || c === 0x5D || c === 0x5E || c === 0x7C;
}
const isForbiddenDomain = (c) => isForbiddenHost(c) || c <= 0x1F || c === 0x25 || c === 0x7F;

function parseIPv4Number(s) {
  if (s === "") return FAILURE;
  let radix = 10;
  if (s.length >= 2 && (s[0] === "0") && (s[1] === "x" || s[1] === "X")) { s = s.slice(2); radix = 16; }
  else if (s.length >= 2 && s[0] === "0") { s = s.slice(1); radix = 8; }
  if (s === "") return 0;
  const valid = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!valid.test(s)) return FAILURE;
  return parseInt(s, radix);
}

function endsInANumber(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "") {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1];
  if (last !== "" && /^[0-9]+$/.test(last)) return true;
  return parseIPv4Number(last) !== FAILURE;
}

function parseIPv4(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAILURE;
  const numbers = [];
  for (const part of parts) {
    const n = parseIPv4Number(part);
    if (n === FAILURE) return FAILURE;
    numbers.push(n);
  }
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return FAILURE;
  if (numbers[numbers.length - 1] >= Math.pow(256, 5 - numbers.length)) return FAILURE;
  let ipv4 = numbers[numbers.length - 1];
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * Math.pow(256, 3 - i);
  const octets = [];
  for (let i = 0; i < 4; i++) { octets.unshift(ipv4 % 256); ipv4 = Math.floor(ipv4 / 256); }
  return octets.join(".");
}

function parseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0, compress = null, p = 0;
  const at = (i) => (i < input.length ? input[i] : EOF);
  if (at(p) === 0x3A) {
    if (at(p + 1) !== 0x3A) return FAILURE;
    p += 2;
    compress = ++pieceIndex;
  }
  while (at(p) !== EOF) {
    if (pieceIndex === 8) return FAILURE;
    if (at(p) === 0x3A) {
      if (compress !== null) return FAILURE;
      p++;
      compress = ++pieceIndex;
      continue;
    }
    let value = 0, length = 0;
    while (length < 4 && isHex(at(p))) { value = value * 16 + hexValue(at(p)); p++; length++; }
    if (at(p) === 0x2E) {
      if (length === 0) return FAILURE;
      p -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (at(p) !== EOF) {
        let piece = null;
        if (numbersSeen > 0) {
          if (at(p) === 0x2E && numbersSeen < 4) p++;
          else return FAILURE;
        }
        if (!isDigit(at(p))) return FAILURE;
        while (isDigit(at(p))) {
          const n = at(p) - 0x30;
          if (piece === null) piece = n;
          else if (piece === 0) return FAILURE;
          else piece = piece * 10 + n;
          if (piece > 255) return FAILURE;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (at(p) === 0x3A) {
      p++;
      if (at(p) === EOF) return FAILURE;
    } else if (at(p) !== EOF) {
      return FAILURE;
    }
    address[pieceIndex++] = value;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--; swaps--;
    }
  } else if (pieceIndex !== 8) {
    return FAILURE;
  }
  return address;
}

function serializeIPv6(a) {
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (a[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && a[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === best) { out += i === 0 ? "::" : ":"; i += bestLen - 1; continue; }
    out += a[i].toString(16);
    if (i !== 7) out += ":";
  }
  return out;
}

// Punycode (RFC 3492).
const PC = { base: 36, tMin: 1, tMax: 26, skew: 38, damp: 700, initialBias: 72, initialN: 128 };

function adapt(delta, numPoints, firstTime) {
  delta = firstTime ? Math.floor(delta / PC.damp) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((PC.base - PC.tMin) * PC.tMax) >> 1) {
    delta = Math.floor(delta / (PC.base - PC.tMin));
    k += PC.base;
  }
  return k + Math.floor(((PC.base - PC.tMin + 1) * delta) / (delta + PC.skew));
}

const digitChar = (d) => String.fromCharCode(d < 26 ? d + 97 : d + 22);

function punycodeEncode(input) {
  const cps = codePoints(input);
  let out = "";
  for (const c of cps) if (c < 0x80) out += String.fromCharCode(c);
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += "-";
  let n = PC.initialN, delta = 0, bias = PC.initialBias;
  while (handled < cps.length) {
    let m = Infinity;
    for (const c of cps) if (c >= n && c < m) m = c;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = PC.base; ; k += PC.base) {
          const t = k <= bias ? PC.tMin : k >= bias + PC.tMax ? PC.tMax : k - bias;
          if (q < t) break;
          out += digitChar(t + ((q - t) % (PC.base - t)));
          q = Math.floor((q - t) / (PC.base - t));
        }
        out += digitChar(q);
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
    }
    delta++; n++;
  }
  return out;
}

function punycodeDecode(input) {
  const out = [];
  const lastDash = input.lastIndexOf("-");
  const basicEnd = lastDash < 0 ? 0 : lastDash;
  for (let i = 0; i < basicEnd; i++) {
    const c = input.charCodeAt(i);
    if (c >= 0x80) return FAILURE;
    out.push(c);
  }
  let n = PC.initialN, i = 0, bias = PC.initialBias;
  for (let idx = lastDash < 0 ? 0 : lastDash + 1; idx < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = PC.base; ; k += PC.base) {
      if (idx >= input.length) return FAILURE;
      const c = input.charCodeAt(idx++);
      const digit = c >= 0x30 && c <= 0x39 ? c - 22 : c >= 0x41 && c <= 0x5A ? c - 0x41 :
        c >= 0x61 && c <= 0x7A ? c - 0x61 : PC.base;
      if (digit >= PC.base) return FAILURE;
      if (digit > Math.floor((0x7FFFFFFF - i) / w)) return FAILURE;
      i += digit * w;
      const t = k <= bias ? PC.tMin : k >= bias + PC.tMax ? PC.tMax : k - bias;
      if (digit < t) break;
      if (w > Math.floor(0x7FFFFFFF / (PC.base - t))) return FAILURE;
      w *= PC.base - t;
    }
    bias = adapt(i - oldi, out.length + 1, oldi === 0);
    if (Math.floor(i / (out.length + 1)) > 0x7FFFFFFF - n) return FAILURE;
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return FAILURE;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint.apply(null, out);
}

// A pragmatic UTS #46 (non-transitional, CheckHyphens=false, STD3 rules off): NFKC and
// lower-casing stand in for the mapping table, and a few classes stand in for "disallowed".
const IGNORED = /[\u00AD\u034F\u180B-\u180F\u200B\u2060\u2064\uFEFF\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]/g;
const DISALLOWED_SIMPLE = /[\u0080-\u009F\uFDD0-\uFDEF\uFFF9-\uFFFF\p{Co}\p{Cn}\p{Zs}\p{Zl}\p{Zp}]/u;
const FORMAT = /\p{Cf}/u;
const LEADING_MARK = /^\p{M}/u;
const ASCII_ONLY = /^[\x00-\x7F]*$/;

function isDisallowed(label) {
  if (DISALLOWED_SIMPLE.test(label)) return true;
  for (const ch of label) {
    const c = ch.codePointAt(0);
    if (c !== 0x200C && c !== 0x200D && FORMAT.test(ch)) return true;
    if ((c & 0xFFFE) === 0xFFFE) return true;
  }
  return false;
}

function uts46Map(s) {
  s = s.replace(IGNORED, "").normalize("NFKC").toLowerCase().normalize("NFKC");
  return s.replace(/[\u3002\uFF0E\uFF61]/g, ".");
}

function validLabel(label) {
  if (label.normalize("NFC") !== label) return false;
  if (isDisallowed(label)) return false;
  if (LEADING_MARK.test(label)) return false;
  if (/[\u200C\u200D]/.test(label)) return false;
  return true;
}

function domainToASCII(domain) {
  let mapped;
  if (ASCII_ONLY.test(domain)) mapped = domain.toLowerCase();
  else mapped = uts46Map(domain);
  if (!/xn--/.test(mapped) && ASCII_ONLY.test(mapped)) return mapped === "" ? FAILURE : mapped;
  const labels = mapped.split(".");
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label.startsWith("xn--")) {
      if (!ASCII_ONLY.test(label)) return FAILURE;
      const decoded = punycodeDecode(label.slice(4));
      if (decoded === FAILURE || decoded === "" || ASCII_ONLY.test(decoded)) return FAILURE;
      if (decoded.startsWith("xn--") || uts46Map(decoded) !== decoded || !validLabel(decoded)) return FAILURE;
    } else if (!ASCII_ONLY.test(label)) {
      if (!validLabel(label)) return FAILURE;
      labels[i] = "xn--" + punycodeEncode(label);
    }
  }
  const result = labels.join(".");
  return result === "" ? FAILURE : result;
}

function parseOpaqueHost(input) {
  for (const c of codePoints(input)) if (isForbiddenHost(c)) return FAILURE;
  return encodeString(input, inC0Set, false);
}

// Returns the serialized host, or FAILURE.
function parseHost(input, isOpaque) {
  if (input.startsWith("[")) {
    if (!input.endsWith("]")) return FAILURE;
    const a = parseIPv6(codePoints(input.slice(1, -1)));
    return a === FAILURE ? FAILURE : "[" + serializeIPv6(a) + "]";
  }
  if (isOpaque) return parseOpaqueHost(input);
  const domain = utf8Decode(percentDecodeBytes(utf8Encode(input)));
  const ascii = domainToASCII(domain);
  if (ascii === FAILURE) return FAILURE;
  for (let i = 0; i < ascii.length; i++) if (isForbiddenDomain(ascii.charCodeAt(i))) return FAILURE;
  if (endsInANumber(ascii)) return parseIPv4(ascii);
  return ascii;
}

// ---- The URL record and the basic URL parser ---------------------------------------------

function newRecord() {
  return { scheme: "", username: "", password: "", host: null, port: null, path: [],
    query: null, fragment: null };
}

const hasOpaquePath = (u) => typeof u.path === "string";
const isSpecial = (u) => isSpecialScheme(u.scheme);
const includesCredentials = (u) => u.username !== "" || u.password !== "";
const cannotHaveCredentialsOrPort = (u) => u.host === null || u.host === "" || u.scheme === "file";

const isWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s.charCodeAt(0)) &&
  (s[1] === ":" || s[1] === "|");
const isNormalizedWindowsDriveLetter = (s) => s.length === 2 && isAlpha(s.charCodeAt(0)) && s[1] === ":";

function startsWithWindowsDriveLetter(cps, from) {
  if (cps.length - from < 2) return false;
  if (!isAlpha(cps[from]) || (cps[from + 1] !== 0x3A && cps[from + 1] !== 0x7C)) return false;
  if (cps.length - from === 2) return true;
  const c = cps[from + 2];
  return c === 0x2F || c === 0x5C || c === 0x3F || c === 0x23;
}

function shortenPath(u) {
  const path = u.path;
  if (u.scheme === "file" && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
  path.pop();
}

const isSingleDot = (s) => s === "." || s.toLowerCase() === "%2e";
const isDoubleDot = (s) => {
  const l = s.toLowerCase();
  return l === ".." || l === ".%2e" || l === "%2e." || l === "%2e%2e";
};

const S = {
  SCHEME_START: 1, SCHEME: 2, NO_SCHEME: 3, SPECIAL_RELATIVE_OR_AUTHORITY: 4, PATH_OR_AUTHORITY: 5,
  RELATIVE: 6, RELATIVE_SLASH: 7, SPECIAL_AUTHORITY_SLASHES: 8, SPECIAL_AUTHORITY_IGNORE_SLASHES: 9,
  AUTHORITY: 10, HOST: 11, HOSTNAME: 12, PORT: 13, FILE: 14, FILE_SLASH: 15, FILE_HOST: 16,
  PATH_START: 17, PATH: 18, OPAQUE_PATH: 19, QUERY: 20, FRAGMENT: 21,
};

// The basic URL parser. Without stateOverride it returns a new record or FAILURE; with one it
// edits `url` in place and returns FAILURE or undefined (the spec's "return").
function basicParse(input, base, url, stateOverride) {
  if (!url) {
    url = newRecord();
    input = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  }
  input = input.replace(/[\t\n\r]/g, "");
  let state = stateOverride || S.SCHEME_START;
  let buffer = "";
  let atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;
  const cps = codePoints(input);
  const len = cps.length;
  const remainingStartsWith = (p, c) => p + 1 < len && cps[p + 1] === c;
  let pointer = 0;

  for (;;) {
    const c = pointer < len ? cps[pointer] : EOF;
    const special = isSpecial(url);
    switch (state) {
      case S.SCHEME_START:
        if (isAlpha(c)) {
          buffer += String.fromCharCode(c).toLowerCase();
          state = S.SCHEME;
        } else if (!stateOverride) {
          state = S.NO_SCHEME;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case S.SCHEME:
        if (isAlpha(c) || isDigit(c) || c === 0x2B || c === 0x2D || c === 0x2E) {
          buffer += String.fromCharCode(c).toLowerCase();
        } else if (c === 0x3A) {
          if (stateOverride) {
            if (special !== isSpecialScheme(buffer)) return FAILURE;
            if ((includesCredentials(url) || url.port !== null) && buffer === "file") return FAILURE;
            if (url.scheme === "file" && url.host === "") return FAILURE;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return undefined;
          }
          buffer = "";
          if (url.scheme === "file") {
            state = S.FILE;
          } else if (isSpecial(url) && base && base.scheme === url.scheme) {
            state = S.SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (isSpecial(url)) {
            state = S.SPECIAL_AUTHORITY_SLASHES;
          } else if (remainingStartsWith(pointer, 0x2F)) {
            state = S.PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = "";
            state = S.OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = "";
          state = S.NO_SCHEME;
          pointer = -1;
        } else {
          return FAILURE;
        }
        break;

      case S.NO_SCHEME:
        if (!base || (hasOpaquePath(base) && c !== 0x23)) return FAILURE;
        if (hasOpaquePath(base) && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = "";
          state = S.FRAGMENT;
        } else if (base.scheme !== "file") {
          state = S.RELATIVE;
          pointer--;
        } else {
          state = S.FILE;
          pointer--;
        }
        break;

      case S.SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2F && remainingStartsWith(pointer, 0x2F)) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = S.RELATIVE;
          pointer--;
        }
        break;

      case S.PATH_OR_AUTHORITY:
        if (c === 0x2F) state = S.AUTHORITY;
        else { state = S.PATH; pointer--; }
        break;

      case S.RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2F || (isSpecial(url) && c === 0x5C)) {
          state = S.RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3F) { url.query = ""; state = S.QUERY; }
          else if (c === 0x23) { url.fragment = ""; state = S.FRAGMENT; }
          else if (c !== EOF) {
            url.query = null;
            shortenPath(url);
            state = S.PATH;
            pointer--;
          }
        }
        break;

      case S.RELATIVE_SLASH:
        if (special && (c === 0x2F || c === 0x5C)) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2F) {
          state = S.AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = S.PATH;
          pointer--;
        }
        break;

      case S.SPECIAL_AUTHORITY_SLASHES:
        if (c === 0x2F && remainingStartsWith(pointer, 0x2F)) {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = S.SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer--;
        }
        break;

      case S.SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2F && c !== 0x5C) {
          state = S.AUTHORITY;
          pointer--;
        }
        break;

      case S.AUTHORITY:
        if (c === 0x40) {
          if (atSignSeen) buffer = "%40" + buffer;
          atSignSeen = true;
          for (const bc of codePoints(buffer)) {
            if (bc === 0x3A && !passwordTokenSeen) { passwordTokenSeen = true; continue; }
            const enc = encodeCodePoint(bc, inUserinfoSet);
            if (passwordTokenSeen) url.password += enc;
            else url.username += enc;
          }
          buffer = "";
        } else if (c === EOF || c === 0x2F || c === 0x3F || c === 0x23 || (special && c === 0x5C)) {
          if (atSignSeen && buffer === "") return FAILURE;
          pointer -= codePoints(buffer).length + 1;
          buffer = "";
          state = S.HOST;
        } else {
          buffer += String.fromCodePoint(c);
        }
        break;

      case S.HOST:
      case S.HOSTNAME:
        if (stateOverride && url.scheme === "file") {
          pointer--;
          state = S.FILE_HOST;
        } else if (c === 0x3A && !insideBrackets) {
          if (buffer === "") return FAILURE;
          if (stateOverride === S.HOSTNAME) return FAILURE;
          const host = parseHost(buffer, !special);
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = "";
          state = S.PORT;
        } else if (c === EOF || c === 0x2F || c === 0x3F || c === 0x23 || (special && c === 0x5C)) {
          pointer--;
          if (special && buffer === "") return FAILURE;
          if (stateOverride && buffer === "" && (includesCredentials(url) || url.port !== null)) {
            return FAILURE;
          }
          const host = parseHost(buffer, !special);
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = "";
          state = S.PATH_START;
          if (stateOverride) return undefined;
        } else {
          if (c === 0x5B) insideBrackets = true;
          if (c === 0x5D) insideBrackets = false;
          buffer += String.fromCodePoint(c);
        }
        break;

      case S.PORT:
        if (isDigit(c)) {
          buffer += String.fromCharCode(c);
        } else if (c === EOF || c === 0x2F || c === 0x3F || c === 0x23 || (special && c === 0x5C) ||
                   stateOverride) {
          if (buffer !== "") {
            const port = parseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = "";
            if (stateOverride) return undefined;
          }
          if (stateOverride) return FAILURE;
          state = S.PATH_START;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case S.FILE:
        url.scheme = "file";
        url.host = "";
        if (c === 0x2F || c === 0x5C) {
          state = S.FILE_SLASH;
        } else if (base && base.scheme === "file") {
          url.host = base.host;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3F) { url.query = ""; state = S.QUERY; }
          else if (c === 0x23) { url.fragment = ""; state = S.FRAGMENT; }
          else if (c !== EOF) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(cps, pointer)) shortenPath(url);
            else url.path = [];
            state = S.PATH;
            pointer--;
          }
        } else {
          state = S.PATH;
          pointer--;
        }
        break;

      case S.FILE_SLASH:
        if (c === 0x2F || c === 0x5C) {
          state = S.FILE_HOST;
        } else {
          if (base && base.scheme === "file") {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(cps, pointer) && base.path.length > 0 &&
                isNormalizedWindowsDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = S.PATH;
          pointer--;
        }
        break;

      case S.FILE_HOST:
        if (c === EOF || c === 0x2F || c === 0x5C || c === 0x3F || c === 0x23) {
          pointer--;
          if (!stateOverride && isWindowsDriveLetter(buffer)) {
            state = S.PATH;
          } else if (buffer === "") {
            url.host = "";
            if (stateOverride) return undefined;
            state = S.PATH_START;
          } else {
            let host = parseHost(buffer, !special);
            if (host === FAILURE) return FAILURE;
            if (host === "localhost") host = "";
            url.host = host;
            if (stateOverride) return undefined;
            buffer = "";
            state = S.PATH_START;
          }
        } else {
          buffer += String.fromCodePoint(c);
        }
        break;

      case S.PATH_START:
        if (special) {
          state = S.PATH;
          if (c !== 0x2F && c !== 0x5C) pointer--;
        } else if (!stateOverride && c === 0x3F) {
          url.query = ""; state = S.QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = ""; state = S.FRAGMENT;
        } else if (c !== EOF) {
          state = S.PATH;
          if (c !== 0x2F) pointer--;
        } else if (stateOverride && url.host === null) {
          url.path.push("");
        }
        break;

      case S.PATH: {
        const slashLike = c === 0x2F || (special && c === 0x5C);
        if (c === EOF || slashLike || (!stateOverride && (c === 0x3F || c === 0x23))) {
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (!slashLike) url.path.push("");
          } else if (isSingleDot(buffer) && !slashLike) {
            url.path.push("");
          } else if (!isSingleDot(buffer)) {
            if (url.scheme === "file" && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = buffer[0] + ":";
            }
            url.path.push(buffer);
          }
          buffer = "";
          if (c === 0x3F) { url.query = ""; state = S.QUERY; }
          if (c === 0x23) { url.fragment = ""; state = S.FRAGMENT; }
        } else {
          buffer += encodeCodePoint(c, inPathSet);
        }
        break;
      }

      case S.OPAQUE_PATH:
        if (c === 0x3F) { url.query = ""; state = S.QUERY; }
        else if (c === 0x23) { url.fragment = ""; state = S.FRAGMENT; }
        else if (c === 0x20) {
          const next = pointer + 1 < len ? cps[pointer + 1] : EOF;
          url.path += next === 0x3F || next === 0x23 ? "%20" : " ";
        } else if (c !== EOF) {
          url.path += encodeCodePoint(c, inC0Set);
        }
        break;

      case S.QUERY:
        if ((!stateOverride && c === 0x23) || c === EOF) {
          url.query += encodeString(buffer, special ? inSpecialQuerySet : inQuerySet, false);
          buffer = "";
          if (c === 0x23) { url.fragment = ""; state = S.FRAGMENT; }
        } else if (c !== EOF) {
          buffer += String.fromCodePoint(c);
        }
        break;

      case S.FRAGMENT:
        if (c !== EOF) url.fragment += encodeCodePoint(c, inFragmentSet);
        break;
    }
    if (pointer >= len) break;
    pointer++;
  }
  return stateOverride ? undefined : url;
}

function serializePath(u) {
  if (hasOpaquePath(u)) return u.path;
  let out = "";
  for (const segment of u.path) out += "/" + segment;
  return out;
}

function serializeURL(u, excludeFragment) {
  let out = u.scheme + ":";
  if (u.host !== null) {
    out += "//";
    if (includesCredentials(u)) {
      out += u.username;
      if (u.password !== "") out += ":" + u.password;
      out += "@";
    }
    out += u.host;
    if (u.port !== null) out += ":" + u.port;
  }
  if (u.host === null && !hasOpaquePath(u) && u.path.length > 1 && u.path[0] === "") out += "/.";
  out += serializePath(u);
  if (u.query !== null) out += "?" + u.query;
  if (!excludeFragment && u.fragment !== null) out += "#" + u.fragment;
  return out;
}

function serializeOrigin(u) {
  switch (u.scheme) {
    case "blob": {
      const inner = basicParse(serializePath(u), null);
      if (inner !== FAILURE && (inner.scheme === "http" || inner.scheme === "https")) {
        return serializeOrigin(inner);
      }
      return "null";
    }
    case "ftp": case "http": case "https": case "ws": case "wss":
      return u.scheme + "://" + u.host + (u.port !== null ? ":" + u.port : "");
    default:
      return "null";
  }
}

// ---- application/x-www-form-urlencoded --------------------------------------------------

function parseForm(input) {
  const list = [];
  for (const sequence of input.split("&")) {
    if (sequence === "") continue;
    const eq = sequence.indexOf("=");
    let name = eq < 0 ? sequence : sequence.slice(0, eq);
    let value = eq < 0 ? "" : sequence.slice(eq + 1);
    name = utf8Decode(percentDecodeBytes(utf8Encode(name.replace(/\+/g, " "))));
    value = utf8Decode(percentDecodeBytes(utf8Encode(value.replace(/\+/g, " "))));
    list.push([name, value]);
  }
  return list;
}

function serializeForm(list) {
  let out = "";
  for (const [name, value] of list) {
    if (out !== "") out += "&";
    out += encodeString(name, inFormSet, true) + "=" + encodeString(value, inFormSet, true);
  }
  return out;
}

// ---- The API -------------------------------------------------------------------------------

// Internal state lives in WeakMaps so scripts cannot reach or forge it.
const urlRecords = new WeakMap();
const urlParams = new WeakMap();
const paramsState = new WeakMap();

function recordOf(self) {
  const r = urlRecords.get(self);
  if (!r) throw new TypeError("Illegal invocation");
  return r;
}

function paramsOf(self) {
  const p = paramsState.get(self);
  if (!p) throw new TypeError("Illegal invocation");
  return p;
}

function requireArgs(count, needed, what) {
  if (count < needed) {
    throw new TypeError(what + ": " + needed + " argument" + (needed > 1 ? "s" : "") + " required");
  }
}

// The API parser: parse base first (if given), then input against it.
function apiParse(input, base) {
  let parsedBase = null;
  if (base !== undefined) {
    parsedBase = basicParse(toUSV(base), null);
    if (parsedBase === FAILURE) return FAILURE;
  }
  return basicParse(toUSV(input), parsedBase);
}

function linkParams(urlObject, record) {
  const params = Object.create(URLSearchParams.prototype);
  paramsState.set(params, { list: record.query !== null ? parseForm(record.query) : [], url: urlObject });
  return params;
}

function refreshParams(urlObject) {
  const record = urlRecords.get(urlObject);
  paramsOf(urlObject.searchParams).list = record.query !== null ? parseForm(record.query) : [];
}

class URL {
  constructor(url, base) {
    requireArgs(arguments.length, 1, "URL constructor");
    const record = apiParse(url, base);
    if (record === FAILURE) throw new TypeError("Invalid URL: " + String(url));
    urlRecords.set(this, record);
    urlParams.set(this, linkParams(this, record));
  }

  static canParse(url, base) {
    requireArgs(arguments.length, 1, "URL.canParse");
    return apiParse(url, base) !== FAILURE;
  }

  static parse(url, base) {
    requireArgs(arguments.length, 1, "URL.parse");
    try { return new URL(url, base); } catch (e) { return null; }
  }

  get href() { return serializeURL(recordOf(this), false); }
  set href(value) {
    const record = basicParse(toUSV(value), null);
    if (record === FAILURE) throw new TypeError("Invalid URL: " + String(value));
    urlRecords.set(this, record);
    refreshParams(this);
  }

  get origin() { return serializeOrigin(recordOf(this)); }

  get protocol() { return recordOf(this).scheme + ":"; }
  set protocol(value) { basicParse(toUSV(value) + ":", null, recordOf(this), S.SCHEME_START); }

  get username() { return recordOf(this).username; }
  set username(value) {
    const r = recordOf(this);
    if (cannotHaveCredentialsOrPort(r)) return;
    r.username = encodeString(toUSV(value), inUserinfoSet, false);
  }

  get password() { return recordOf(this).password; }
  set password(value) {
    const r = recordOf(this);
    if (cannotHaveCredentialsOrPort(r)) return;
    r.password = encodeString(toUSV(value), inUserinfoSet, false);
  }

  get host() {
    const r = recordOf(this);
    if (r.host === null) return "";
    return r.port === null ? r.host : r.host + ":" + r.port;
  }
  set host(value) {
    const r = recordOf(this);
    if (hasOpaquePath(r)) return;
    basicParse(toUSV(value), null, r, S.HOST);
  }

  get hostname() { const r = recordOf(this); return r.host === null ? "" : r.host; }
  set hostname(value) {
    const r = recordOf(this);
    if (hasOpaquePath(r)) return;
    basicParse(toUSV(value), null, r, S.HOSTNAME);
  }

  get port() { const r = recordOf(this); return r.port === null ? "" : String(r.port); }
  set port(value) {
    const r = recordOf(this);
    if (cannotHaveCredentialsOrPort(r)) return;
    value = toUSV(value);
    if (value === "") r.port = null;
    else basicParse(value, null, r, S.PORT);
  }

  get pathname() { return serializePath(recordOf(this)); }
  set pathname(value) {
    const r = recordOf(this);
    if (hasOpaquePath(r)) return;
    r.path = [];
    basicParse(toUSV(value), null, r, S.PATH_START);
  }

  get search() { const q = recordOf(this).query; return q === null || q === "" ? "" : "?" + q; }
  set search(value) {
    const r = recordOf(this);
    value = toUSV(value);
    if (value === "") {
      r.query = null;
      paramsOf(this.searchParams).list = [];
      return;
    }
    const input = value[0] === "?" ? value.slice(1) : value;
    r.query = "";
    basicParse(input, null, r, S.QUERY);
    paramsOf(this.searchParams).list = parseForm(input);
  }

  get searchParams() { recordOf(this); return urlParams.get(this); }

  get hash() { const f = recordOf(this).fragment; return f === null || f === "" ? "" : "#" + f; }
  set hash(value) {
    const r = recordOf(this);
    value = toUSV(value);
    if (value === "") { r.fragment = null; return; }
    r.fragment = "";
    basicParse(value[0] === "#" ? value.slice(1) : value, null, r, S.FRAGMENT);
  }

  toString() { return this.href; }
  toJSON() { return this.href; }
}

function updateLinkedURL(state) {
  if (!state.url) return;
  const r = urlRecords.get(state.url);
  const serialized = serializeForm(state.list);
  r.query = serialized === "" ? null : serialized;
}

class URLSearchParams {
  constructor(init) {
    const state = { list: [], url: null };
    paramsState.set(this, state);
    if (init === undefined || init === null) return;
    if (typeof init === "object" && init !== null || typeof init === "function") {
      const iteratorMethod = init[Symbol.iterator];
      if (iteratorMethod !== undefined && iteratorMethod !== null) {
        if (typeof iteratorMethod !== "function") throw new TypeError("URLSearchParams: init is not iterable");
        for (const pair of init) {
          if (typeof pair !== "object" && typeof pair !== "function" || pair === null) {
            throw new TypeError("URLSearchParams: each pair must be a sequence");
          }
          const items = Array.from(pair);
          if (items.length !== 2) throw new TypeError("URLSearchParams: each pair must have two items");
          state.list.push([toUSV(items[0]), toUSV(items[1])]);
        }
      } else {
        for (const key of Reflect.ownKeys(init)) {
          if (typeof key !== "string") continue;
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (desc === undefined || !desc.enumerable) continue;
          state.list.push([toUSV(key), toUSV(init[key])]);
        }
      }
      return;
    }
    let s = toUSV(init);
    if (s[0] === "?") s = s.slice(1);
    state.list = parseForm(s);
  }

  get size() { return paramsOf(this).list.length; }

  append(name, value) {
    requireArgs(arguments.length, 2, "URLSearchParams.append");
    const state = paramsOf(this);
    state.list.push([toUSV(name), toUSV(value)]);
    updateLinkedURL(state);
  }

  delete(name, value) {
    requireArgs(arguments.length, 1, "URLSearchParams.delete");
    const state = paramsOf(this);
    name = toUSV(name);
    if (value !== undefined) {
      value = toUSV(value);
      state.list = state.list.filter((p) => !(p[0] === name && p[1] === value));
    } else {
      state.list = state.list.filter((p) => p[0] !== name);
    }
    updateLinkedURL(state);
  }

  get(name) {
    requireArgs(arguments.length, 1, "URLSearchParams.get");
    name = toUSV(name);
    for (const p of paramsOf(this).list) if (p[0] === name) return p[1];
    return null;
  }

  getAll(name) {
    requireArgs(arguments.length, 1, "URLSearchParams.getAll");
    name = toUSV(name);
    return paramsOf(this).list.filter((p) => p[0] === name).map((p) => p[1]);
  }

  has(name, value) {
    requireArgs(arguments.length, 1, "URLSearchParams.has");
    name = toUSV(name);
    const list = paramsOf(this).list;
    if (value !== undefined) {
      value = toUSV(value);
      return list.some((p) => p[0] === name && p[1] === value);
    }
    return list.some((p) => p[0] === name);
  }

  set(name, value) {
    requireArgs(arguments.length, 2, "URLSearchParams.set");
    const state = paramsOf(this);
    name = toUSV(name);
    value = toUSV(value);
    const index = state.list.findIndex((p) => p[0] === name);
    if (index < 0) {
      state.list.push([name, value]);
    } else {
      state.list[index][1] = value;
      state.list = state.list.filter((p, i) => i <= index || p[0] !== name);
    }
    updateLinkedURL(state);
  }

  // Stable by UTF-16 code units: JS string comparison is exactly that, and Array.prototype.sort
  // is stable since ES2019; the index tie-break keeps it stable even so.
  sort() {
    const state = paramsOf(this);
    const indexed = state.list.map((p, i) => [p, i]);
    indexed.sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]));
    state.list = indexed.map((x) => x[0]);
    updateLinkedURL(state);
  }

  forEach(callback, thisArg) {
    requireArgs(arguments.length, 1, "URLSearchParams.forEach");
    if (typeof callback !== "function") throw new TypeError("URLSearchParams.forEach: callback is not a function");
    const state = paramsOf(this);
    for (let i = 0; i < state.list.length; i++) {
      const p = state.list[i];
      callback.call(thisArg, p[1], p[0], this);
    }
  }

  *entries() {
    const state = paramsOf(this);
    for (let i = 0; i < state.list.length; i++) yield [state.list[i][0], state.list[i][1]];
  }

  *keys() {
    const state = paramsOf(this);
    for (let i = 0; i < state.list.length; i++) yield state.list[i][0];
  }

  *values() {
    const state = paramsOf(this);
    for (let i = 0; i < state.list.length; i++) yield state.list[i][1];
  }

  toString() { return serializeForm(paramsOf(this).list); }
}

Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true,
});
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, {
  value: "URLSearchParams", configurable: true,
});
Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: "URL", configurable: true });

for (const cls of [URL, URLSearchParams]) {
  Object.defineProperty(globalThis, cls.name, { value: cls, writable: true, configurable: true });
}
})();
