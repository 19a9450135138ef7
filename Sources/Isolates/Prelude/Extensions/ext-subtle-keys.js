// ext-subtle-keys.js: crypto.subtle's keys: generateKey, importKey and exportKey in the raw,
// jwk, spki and pkcs8 formats, with the usages each algorithm allows. Loaded by ext-subtle.js
// on the first key operation.
(function (internals) {
"use strict";
const { native, DOMException, makeKey, nativeCall, KEY, bytes, CryptoKey } = internals;
const hex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const concat = (a, b) => { const o = new Uint8Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };
// Fixed DER wrappers (RFC 8410) around the 32 raw bytes of Ed25519 and X25519 keys.
const OKP = {
  Ed25519: { pkcs8: hex('302e020100300506032b657004220420'), spki: hex('302a300506032b6570032100') },
  X25519: { pkcs8: hex('302e020100300506032b656e04220420'), spki: hex('302a300506032b656e032100') },
};
const SECRET_USAGES = { 'AES-GCM': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], HMAC: ['sign', 'verify'], PBKDF2: ['deriveKey', 'deriveBits'], HKDF: ['deriveKey', 'deriveBits'] };
SECRET_USAGES['AES-CBC'] = SECRET_USAGES['AES-CTR'] = SECRET_USAGES['AES-GCM'];
const PAIR_USAGES = {
  ECDSA: [['verify'], ['sign']], Ed25519: [['verify'], ['sign']], 'RSASSA-PKCS1-v1_5': [['verify'], ['sign']], 'RSA-PSS': [['verify'], ['sign']],
  ECDH: [[], ['deriveKey', 'deriveBits']], X25519: [[], ['deriveKey', 'deriveBits']], 'RSA-OAEP': [['encrypt', 'wrapKey'], ['decrypt', 'unwrapKey']],
};
const CURVE_BYTES = { 'P-256': 32, 'P-384': 48 };
const HASH_BITS = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const JWK_HASH = { 'SHA-1': '1', 'SHA-256': '256', 'SHA-384': '384', 'SHA-512': '512' };

const b64u = {
  encode(u8) { let s = ''; for (const b of u8) s += String.fromCharCode(b); return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); },
  decode(s) {
    if (typeof s !== 'string' || /[^A-Za-z0-9_-]/.test(s)) throw new DOMException('JWK: member is not base64url', 'DataError');
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  },
};
// A minimal DER reader for the RSA structures whose fields JWK needs.
function derChildren(u8) {
  const out = [];
  let i = 0;
  while (i < u8.length) {
    const tag = u8[i++];
    let len = u8[i++];
    if (len & 0x80) { let n = len & 0x7f; len = 0; while (n--) len = len * 256 + u8[i++]; }
    out.push({ tag, body: u8.subarray(i, i + len) });
    i += len;
  }
  return out;
}
const unsigned = (u8) => { let i = 0; while (i < u8.length - 1 && u8[i] === 0) i++; return u8.slice(i); };

function checkUsages(usages, allowed, what) {
  for (const u of usages) if (!allowed.includes(u)) throw new DOMException(`${what}: usage "${u}" is not valid for this key`, 'SyntaxError');
  return allowed.filter((u) => usages.includes(u));
}
function secretKey(alg, raw, extractable, usages) {
  const name = alg.name;
  const allowed = SECRET_USAGES[name];
  if (!allowed) throw new DOMException(`${name} keys are not secret keys`, 'NotSupportedError');
  usages = checkUsages(usages, allowed, 'importKey');
  if (usages.length === 0) throw new DOMException(`${name}: a secret key needs at least one usage`, 'SyntaxError');
  if (name.startsWith('AES-')) {
    if (![16, 24, 32].includes(raw.length)) throw new DOMException(`${name}: key must be 128, 192 or 256 bits`, 'DataError');
    return makeKey('secret', extractable, { name, length: raw.length * 8 }, usages, raw);
  }
  if (name === 'HMAC') {
    if (!alg.hash) throw new TypeError('HMAC: hash is required');
    if (raw.length === 0) throw new DOMException('HMAC: empty key', 'DataError');
    const length = alg.length === undefined ? raw.length * 8 : alg.length;
    if (length > raw.length * 8 || length <= (raw.length - 1) * 8) throw new DOMException('HMAC: length does not match the key', 'DataError');
    return makeKey('secret', extractable, { name, hash: alg.hash, length }, usages, raw);
  }
  if (extractable) throw new DOMException(`${name}: keys cannot be extractable`, 'SyntaxError');
  return makeKey('secret', false, { name }, usages, raw);
}
function pairAlgorithm(alg, spki) {
  if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
    if (!CURVE_BYTES[alg.namedCurve]) throw new DOMException(`${alg.name}: curve ${alg.namedCurve} is not supported`, 'NotSupportedError');
    return { name: alg.name, namedCurve: alg.namedCurve };
  }
  if (alg.name.startsWith('RSA')) {
    if (!alg.hash) throw new TypeError(`${alg.name}: hash is required`);
    const p = nativeCall('rsa-primitives', spki);
    return { name: alg.name, modulusLength: unsigned(p.a).length * 8, publicExponent: unsigned(p.b), hash: alg.hash };
  }
  return { name: alg.name };
}
// material: the native form (EC: pkcs8 / raw point; OKP: 32 bytes; RSA: PKCS#1 / SPKI).
function asymmetricKey(type, alg, material, extractable, usages, spki) {
  const [pub, priv] = PAIR_USAGES[alg.name] || [];
  if (!pub) throw new DOMException(`${alg.name} keys are not key pairs`, 'NotSupportedError');
  usages = checkUsages(usages, type === 'public' ? pub : priv, 'importKey');
  if (type === 'private' && usages.length === 0) throw new DOMException(`${alg.name}: a private key needs at least one usage`, 'SyntaxError');
  return makeKey(type, type === 'public' ? true : extractable, pairAlgorithm(alg, spki), usages, material);
}

function generateKey(alg, extractable, usages) {
  const name = alg.name;
  if (SECRET_USAGES[name] && name !== 'PBKDF2' && name !== 'HKDF') {
    const bits = name === 'HMAC' ? (alg.length || HASH_BITS[alg.hash && alg.hash.name]) : alg.length;
    if (name !== 'HMAC' && ![128, 192, 256].includes(bits)) throw new DOMException(`${name}: length must be 128, 192 or 256`, 'OperationError');
    if (!bits) throw new TypeError('HMAC: hash is required');
    return secretKey(alg, native.random(new Uint8Array(Math.ceil(bits / 8))), extractable, usages);
  }
  const [pubU, privU] = PAIR_USAGES[name] || [];
  if (!pubU) throw new DOMException(`generateKey: ${name} cannot generate keys`, 'NotSupportedError');
  checkUsages(usages, pubU.concat(privU), 'generateKey');
  let pair, spki = null;
  if (name === 'ECDSA' || name === 'ECDH') {
    if (!CURVE_BYTES[alg.namedCurve]) throw new DOMException(`${name}: curve ${alg.namedCurve} is not supported`, 'NotSupportedError');
    pair = nativeCall('ec-generate', alg.namedCurve);
  } else if (name === 'Ed25519' || name === 'X25519') {
    pair = nativeCall(name === 'Ed25519' ? 'ed25519-generate' : 'x25519-generate');
  } else {
    const e = bytes(alg.publicExponent, 'publicExponent');
    if (unsigned(e).join() !== '1,0,1') throw new DOMException('RSA: only the public exponent 65537 is supported', 'OperationError');
    if (!(alg.modulusLength >= 1024 && alg.modulusLength % 8 === 0)) throw new DOMException('RSA: modulusLength must be a multiple of 8, at least 1024', 'OperationError');
    pair = nativeCall('rsa-generate', alg.modulusLength);
    spki = pair.b;
  }
  const privateKey = asymmetricKey('private', alg, pair.a, extractable, usages.filter((u) => privU.includes(u)), spki);
  const publicKey = asymmetricKey('public', alg, pair.b, true, usages.filter((u) => pubU.includes(u)), spki);
  if (privateKey.usages.length === 0) throw new DOMException(`${name}: no usage for the private key`, 'SyntaxError');
  return { publicKey, privateKey };
}

function importKey(format, data, alg, extractable, usages) {
  const name = alg.name;
  if (format === 'jwk') return importJWK(data, alg, extractable, usages);
  if (!['raw', 'spki', 'pkcs8'].includes(format)) throw new TypeError(`importKey: unknown format "${format}"`);
  const u8 = bytes(data, 'importKey');
  if (SECRET_USAGES[name]) {
    if (format !== 'raw') throw new DOMException(`${name}: only raw keys`, 'NotSupportedError');
    return secretKey(alg, u8, extractable, usages);
  }
  if (name === 'ECDSA' || name === 'ECDH') {
    if (!CURVE_BYTES[alg.namedCurve]) throw new DOMException(`${name}: curve ${alg.namedCurve} is not supported`, 'NotSupportedError');
    if (format === 'pkcs8') return asymmetricKey('private', alg, nativeCall('ec-private-der', alg.namedCurve, u8).a, extractable, usages);
    const raw = format === 'raw' ? nativeCall('ec-public-raw', alg.namedCurve, u8).a : nativeCall('ec-public-spki', alg.namedCurve, u8);
    return asymmetricKey('public', alg, raw, true, usages);
  }
  if (OKP[name]) {
    const prefix = OKP[name][format === 'pkcs8' ? 'pkcs8' : 'spki'];
    let key = u8;
    if (format !== 'raw') {
      if (u8.length !== prefix.length + 32 || prefix.some((b, i) => u8[i] !== b)) throw new DOMException(`${name}: not a ${format} ${name} key`, 'DataError');
      key = u8.slice(prefix.length);
    } else if (u8.length !== 32) throw new DOMException(`${name}: raw key must be 32 bytes`, 'DataError');
    return asymmetricKey(format === 'pkcs8' ? 'private' : 'public', alg, key, extractable, usages);
  }
  if (format === 'raw') throw new DOMException(`${name}: raw keys are not supported`, 'NotSupportedError');
  if (format === 'pkcs8') { const p = nativeCall('rsa-private-der', u8); return asymmetricKey('private', alg, p.a, extractable, usages, p.b); }
  const spki = nativeCall('rsa-public-der', u8);
  return asymmetricKey('public', alg, spki, true, usages, spki);
}

function importJWK(jwk, alg, extractable, usages) {
  if (jwk === null || typeof jwk !== 'object') throw new TypeError('importKey: jwk must be an object');
  const name = alg.name;
  if (jwk.ext === false && extractable) throw new DOMException('JWK: ext is false but extractable was asked', 'DataError');
  if (Array.isArray(jwk.key_ops) && usages.some((u) => !jwk.key_ops.includes(u))) throw new DOMException('JWK: key_ops do not allow these usages', 'DataError');
  if (SECRET_USAGES[name]) {
    if (jwk.kty !== 'oct') throw new DOMException('JWK: kty must be "oct"', 'DataError');
    return secretKey(alg, b64u.decode(jwk.k), extractable, usages);
  }
  if (name === 'ECDSA' || name === 'ECDH') {
    if (jwk.kty !== 'EC' || jwk.crv !== alg.namedCurve) throw new DOMException(`JWK: expected kty EC on ${alg.namedCurve}`, 'DataError');
    const raw = concat(concat(new Uint8Array([4]), b64u.decode(jwk.x)), b64u.decode(jwk.y));
    if (jwk.d === undefined) return asymmetricKey('public', alg, nativeCall('ec-public-raw', alg.namedCurve, raw).a, true, usages);
    const p = nativeCall('ec-private-from-d', alg.namedCurve, b64u.decode(jwk.d));
    if (p.b.join() !== raw.join()) throw new DOMException('JWK: d does not match x and y', 'DataError');
    return asymmetricKey('private', alg, p.a, extractable, usages);
  }
  if (OKP[name]) {
    if (jwk.kty !== 'OKP' || jwk.crv !== name) throw new DOMException(`JWK: expected kty OKP, crv ${name}`, 'DataError');
    if (jwk.d === undefined) return asymmetricKey('public', alg, b64u.decode(jwk.x), true, usages);
    return asymmetricKey('private', alg, b64u.decode(jwk.d), extractable, usages);
  }
  if (jwk.kty !== 'RSA') throw new DOMException('JWK: kty must be "RSA"', 'DataError');
  const [n, e] = [b64u.decode(jwk.n), b64u.decode(jwk.e)];
  if (jwk.d === undefined) { const spki = nativeCall('rsa-public-from-ne', n, e); return asymmetricKey('public', alg, spki, true, usages, spki); }
  const p = nativeCall('rsa-from-jwk', n, e, b64u.decode(jwk.d), b64u.decode(jwk.p), b64u.decode(jwk.q));
  return asymmetricKey('private', alg, p.a, extractable, usages, p.b);
}

function exportKey(format, key) {
  if (!(key instanceof CryptoKey)) throw new TypeError('exportKey: key is not a CryptoKey');
  if (!key.extractable) throw new DOMException('exportKey: key is not extractable', 'InvalidAccessError');
  const alg = key.algorithm, m = key[KEY];
  if (format === 'jwk') return exportJWK(key);
  if (key.type === 'secret') {
    if (format !== 'raw') throw new DOMException(`exportKey: ${format} is not a format for secret keys`, 'NotSupportedError');
    return m.slice().buffer;
  }
  let out;
  if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
    if (format === 'raw' && key.type === 'public') out = m;
    else if (format === 'spki' && key.type === 'public') out = nativeCall('ec-public-raw', alg.namedCurve, m).b;
    else if (format === 'pkcs8' && key.type === 'private') out = m;
  } else if (OKP[alg.name]) {
    if (format === 'raw' && key.type === 'public') out = m;
    else if (format === 'spki' && key.type === 'public') out = concat(OKP[alg.name].spki, m);
    else if (format === 'pkcs8' && key.type === 'private') out = concat(OKP[alg.name].pkcs8, m);
  } else if (format === 'spki' && key.type === 'public') out = m;
  else if (format === 'pkcs8' && key.type === 'private') out = nativeCall('rsa-pkcs8', m);
  if (!out) throw new DOMException(`exportKey: a ${key.type} ${alg.name} key cannot be exported as ${format}`, 'InvalidAccessError');
  return out.slice().buffer;
}

function exportJWK(key) {
  const alg = key.algorithm, m = key[KEY];
  const jwk = { key_ops: key.usages.slice(), ext: key.extractable };
  if (key.type === 'secret') {
    Object.assign(jwk, { kty: 'oct', k: b64u.encode(m) });
    if (alg.name === 'HMAC') jwk.alg = 'HS' + JWK_HASH[alg.hash.name];
    else jwk.alg = 'A' + alg.length + alg.name.slice(4);
  } else if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
    const n = CURVE_BYTES[alg.namedCurve];
    const raw = key.type === 'public' ? m : nativeCall('ec-private-der', alg.namedCurve, m).b;
    Object.assign(jwk, { kty: 'EC', crv: alg.namedCurve, x: b64u.encode(raw.subarray(1, 1 + n)), y: b64u.encode(raw.subarray(1 + n)) });
    if (key.type === 'private') jwk.d = b64u.encode(nativeCall('ec-private-d', alg.namedCurve, m));
  } else if (OKP[alg.name]) {
    const pub = key.type === 'public' ? m : nativeCall(alg.name === 'Ed25519' ? 'ed25519-public' : 'x25519-public', m);
    Object.assign(jwk, { kty: 'OKP', crv: alg.name, x: b64u.encode(pub) });
    if (key.type === 'private') jwk.d = b64u.encode(m);
  } else {
    const h = JWK_HASH[alg.hash.name];
    jwk.alg = { 'RSASSA-PKCS1-v1_5': 'RS', 'RSA-PSS': 'PS', 'RSA-OAEP': 'RSA-OAEP' }[alg.name] + (alg.name === 'RSA-OAEP' ? (h === '1' ? '' : '-' + h) : h);
    jwk.kty = 'RSA';
    if (key.type === 'public') {
      const p = nativeCall('rsa-primitives', m);
      Object.assign(jwk, { n: b64u.encode(unsigned(p.a)), e: b64u.encode(unsigned(p.b)) });
    } else {
      const f = derChildren(derChildren(m)[0].body).map((x) => b64u.encode(unsigned(x.body)));
      Object.assign(jwk, { n: f[1], e: f[2], d: f[3], p: f[4], q: f[5], dp: f[6], dq: f[7], qi: f[8] });
    }
  }
  return jwk;
}

// deriveKey: how many bits the derived key's algorithm needs.
function derivedLength(alg) {
  if (alg.name.startsWith('AES-')) {
    if (![128, 192, 256].includes(alg.length)) throw new DOMException('deriveKey: AES length must be 128, 192 or 256', 'OperationError');
    return alg.length;
  }
  if (alg.name === 'HMAC') return alg.length || HASH_BITS[alg.hash.name];
  if (alg.name === 'HKDF' || alg.name === 'PBKDF2') return null;
  throw new DOMException(`deriveKey: cannot derive a ${alg.name} key`, 'NotSupportedError');
}

internals.subtleKeys = { generateKey, importKey, exportKey, derivedLength };
})
