// ext-subtle.js: crypto.subtle (W3C Web Cryptography API) and Workers' timingSafeEqual, over
// the native bridge's byte operations (swift-crypto, see Sources/Isolates/Crypto). Algorithm
// names, parameters, key usages and the errors the spec names are checked here; key formats
// live in ext-subtle-keys.js. Loaded on the first read of crypto.subtle.
(function (internals) {
"use strict";
const { define, native, toU8, DOMException } = internals;
const KEY = Symbol('keyMaterial'), CREATE = Symbol('create');
const NAMES = ['AES-GCM', 'AES-CBC', 'AES-CTR', 'HMAC', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'ECDSA', 'ECDH',
  'Ed25519', 'X25519', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP', 'PBKDF2', 'HKDF'];
const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

// Errors from native come as "DOMExceptionName|message".
function nativeCall(op, ...args) {
  try { return native.subtle(op, ...args); } catch (e) {
    const m = String(e && e.message !== undefined ? e.message : e), bar = m.indexOf('|');
    throw bar > 0 ? new DOMException(m.slice(bar + 1), m.slice(0, bar)) : new DOMException(m, 'OperationError');
  }
}
function bytes(data, what) {
  try { return toU8(data, what).slice(); } catch (e) { throw new TypeError(`${what}: expected a BufferSource`); }
}
function normalize(alg, what) {
  if (typeof alg === 'string') alg = { name: alg };
  if (alg === null || typeof alg !== 'object' || alg.name === undefined) throw new TypeError(`${what}: algorithm must be a name or an object with a name`);
  const name = NAMES.find((n) => n.toLowerCase() === String(alg.name).toLowerCase());
  if (!name) throw new DOMException(`${what}: unrecognised algorithm "${alg.name}"`, 'NotSupportedError');
  const out = Object.assign({}, alg, { name });
  if (alg.hash !== undefined) {
    const h = normalize(alg.hash, what).name;
    if (!HASHES.includes(h)) throw new DOMException(`${what}: ${h} is not a hash`, 'NotSupportedError');
    out.hash = { name: h };
  }
  return out;
}

class CryptoKey {
  constructor(key, type, extractable, algorithm, usages, material) {
    if (key !== CREATE) throw new TypeError('Illegal constructor');
    this[KEY] = material;
    Object.defineProperties(this, {
      type: { value: type, enumerable: true }, extractable: { value: extractable, enumerable: true },
      algorithm: { value: Object.freeze(algorithm), enumerable: true }, usages: { value: Object.freeze(usages.slice()), enumerable: true },
    });
  }
  get [Symbol.toStringTag]() { return 'CryptoKey'; }
}
function makeKey(type, extractable, algorithm, usages, material) {
  return new CryptoKey(CREATE, type, extractable, algorithm, usages, material);
}
function checkKey(key, alg, usage, what) {
  if (!(key instanceof CryptoKey)) throw new TypeError(`${what}: key is not a CryptoKey`);
  if (key.algorithm.name !== alg.name) throw new DOMException(`${what}: key is for ${key.algorithm.name}, not ${alg.name}`, 'InvalidAccessError');
  if (!key.usages.includes(usage)) throw new DOMException(`${what}: key usages do not include "${usage}"`, 'InvalidAccessError');
  return key[KEY];
}
function aesParams(alg, key, what) {
  const iv = bytes(alg.name === 'AES-CTR' ? alg.counter : alg.iv, what + ' iv');
  if (alg.name === 'AES-CBC' && iv.length !== 16) throw new DOMException('AES-CBC: iv must be 16 bytes', 'OperationError');
  if (alg.name === 'AES-CTR' && (iv.length !== 16 || !(alg.length >= 1 && alg.length <= 128))) throw new DOMException('AES-CTR: counter must be 16 bytes and length 1..128', 'OperationError');
  if (alg.name === 'AES-GCM') {
    if (alg.tagLength !== undefined && ![32, 64, 96, 104, 112, 120, 128].includes(alg.tagLength)) throw new DOMException(`AES-GCM: tagLength ${alg.tagLength} is not 32, 64, 96, 104, 112, 120 or 128`, 'OperationError');
    if (iv.length < 12) throw new DOMException('AES-GCM: iv shorter than 12 bytes is not supported', 'NotSupportedError');
  }
  return iv;
}
function crypt(encrypt, alg, key, data, usage) {
  const what = encrypt ? 'encrypt' : 'decrypt';
  alg = normalize(alg, what);
  const k = checkKey(key, alg, usage || what, what);
  data = bytes(data, what);
  switch (alg.name) {
    case 'AES-GCM': return nativeCall('aes-gcm', encrypt, k, aesParams(alg, key, what), data,
      alg.additionalData === undefined ? new Uint8Array(0) : bytes(alg.additionalData, 'additionalData'), (alg.tagLength || 128) / 8);
    case 'AES-CBC': return nativeCall('aes-cbc', encrypt, k, aesParams(alg, key, what), data);
    case 'AES-CTR': return nativeCall('aes-ctr', encrypt, k, aesParams(alg, key, what), data);
    case 'RSA-OAEP':
      if (alg.label !== undefined && bytes(alg.label, 'label').length) throw new DOMException('RSA-OAEP: a label is not supported', 'NotSupportedError');
      return nativeCall('rsa-oaep', encrypt, key.algorithm.hash.name, k, data);
  }
  throw new DOMException(`${what}: ${alg.name} does not ${what}`, 'NotSupportedError');
}
function signOrVerify(verify, alg, key, data, signature) {
  const what = verify ? 'verify' : 'sign';
  alg = normalize(alg, what);
  const k = checkKey(key, alg, what, what);
  data = bytes(data, what);
  const hash = () => (alg.name === 'ECDSA' ? alg.hash.name : key.algorithm.hash.name);
  switch (alg.name) {
    case 'HMAC': {
      const mac = nativeCall('hmac', key.algorithm.hash.name, k, data);
      return verify ? timingSafeEqualBytes(mac, signature) : mac;
    }
    case 'ECDSA':
      if (!alg.hash) throw new TypeError('ECDSA: hash is required');
      return verify ? nativeCall('ecdsa-verify', key.algorithm.namedCurve, hash(), k, signature, data) : nativeCall('ecdsa-sign', key.algorithm.namedCurve, hash(), k, data);
    case 'Ed25519': return verify ? nativeCall('ed25519-verify', k, signature, data) : nativeCall('ed25519-sign', k, data);
    case 'RSASSA-PKCS1-v1_5': case 'RSA-PSS': {
      const padding = alg.name === 'RSA-PSS' ? 'pss' : 'pkcs1';
      if (padding === 'pss' && alg.saltLength !== ({ 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 })[hash()]) {
        throw new DOMException(`RSA-PSS: saltLength ${alg.saltLength} is not supported (only the hash's length)`, 'NotSupportedError');
      }
      return verify ? nativeCall('rsa-verify', padding, hash(), k, signature, data) : nativeCall('rsa-sign', padding, hash(), k, data);
    }
  }
  throw new DOMException(`${what}: ${alg.name} does not ${what}`, 'NotSupportedError');
}
function deriveBits(alg, key, length, usage = 'deriveBits') {
  alg = normalize(alg, 'deriveBits');
  const k = checkKey(key, alg, usage, 'deriveBits');
  const whole = (bits) => {
    if (bits === null || bits === undefined || bits % 8 !== 0) throw new DOMException('deriveBits: length must be a multiple of 8', 'OperationError');
    return bits / 8;
  };
  switch (alg.name) {
    case 'PBKDF2':
      if (!(alg.iterations > 0)) throw new DOMException('PBKDF2: iterations must be positive', 'OperationError');
      return nativeCall('pbkdf2', alg.hash.name, k, bytes(alg.salt, 'salt'), alg.iterations, whole(length));
    case 'HKDF': return nativeCall('hkdf', alg.hash.name, k, bytes(alg.salt, 'salt'), bytes(alg.info, 'info'), whole(length));
    case 'ECDH': case 'X25519': {
      const pub = alg.public;
      if (!(pub instanceof CryptoKey) || pub.type !== 'public' || pub.algorithm.name !== alg.name) throw new DOMException(`${alg.name}: public must be a ${alg.name} public key`, 'InvalidAccessError');
      if (alg.name === 'ECDH' && pub.algorithm.namedCurve !== key.algorithm.namedCurve) throw new DOMException('ECDH: keys are on different curves', 'InvalidAccessError');
      const secret = alg.name === 'ECDH' ? nativeCall('ecdh', key.algorithm.namedCurve, k, pub[KEY]) : nativeCall('x25519', k, pub[KEY]);
      if (length === null || length === undefined) return secret;
      if (length > secret.length * 8) throw new DOMException('deriveBits: length exceeds the shared secret', 'OperationError');
      const out = secret.slice(0, Math.ceil(length / 8));
      if (length % 8) out[out.length - 1] &= 0xff << (8 - (length % 8));
      return out;
    }
  }
  throw new DOMException(`deriveBits: ${alg.name} does not derive`, 'NotSupportedError');
}
function timingSafeEqualBytes(a, b) {
  a = toU8(a, 'timingSafeEqual'); b = toU8(b, 'timingSafeEqual');
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
const keys = () => internals.loadExtension('subtle-keys').subtleKeys;
const buf = (u8) => u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
const run = (fn) => { try { return Promise.resolve(fn()); } catch (e) { return Promise.reject(e); } };

const subtle = {
  digest: (alg, data) => run(() => {
    alg = normalize(alg, 'digest');
    if (!HASHES.includes(alg.name)) throw new DOMException(`digest: ${alg.name} is not a hash`, 'NotSupportedError');
    return buf(nativeCall('digest', alg.name, bytes(data, 'digest')));
  }),
  encrypt: (alg, key, data) => run(() => buf(crypt(true, alg, key, data))),
  decrypt: (alg, key, data) => run(() => buf(crypt(false, alg, key, data))),
  sign: (alg, key, data) => run(() => buf(signOrVerify(false, alg, key, data))),
  verify: (alg, key, signature, data) => run(() => signOrVerify(true, alg, key, data, bytes(signature, 'signature'))),
  deriveBits: (alg, key, length) => run(() => buf(deriveBits(alg, key, length))),
  deriveKey: (alg, key, derived, extractable, usages) => run(() => {
    const target = normalize(derived, 'deriveKey');
    const length = keys().derivedLength(target);
    return keys().importKey('raw', deriveBits(alg, key, length, 'deriveKey'), target, extractable, usages);
  }),
  generateKey: (alg, extractable, usages) => run(() => keys().generateKey(normalize(alg, 'generateKey'), !!extractable, Array.from(usages))),
  importKey: (format, data, alg, extractable, usages) => run(() => keys().importKey(format, data, normalize(alg, 'importKey'), !!extractable, Array.from(usages))),
  exportKey: (format, key) => run(() => keys().exportKey(format, key)),
  wrapKey: (format, key, wrappingKey, alg) => run(async () => {
    let data = await subtle.exportKey(format, key);
    if (format === 'jwk') data = internals.native.encode(JSON.stringify(data));
    return buf(crypt(true, alg, wrappingKey, data, 'wrapKey'));
  }),
  unwrapKey: (format, wrapped, unwrappingKey, alg, keyAlg, extractable, usages) => run(() => {
    let data = crypt(false, alg, unwrappingKey, wrapped, 'unwrapKey');
    if (format === 'jwk') data = JSON.parse(internals.native.decode(data));
    return subtle.importKey(format, data, keyAlg, extractable, usages);
  }),
  timingSafeEqual(a, b) {
    a = toU8(a, 'timingSafeEqual'); b = toU8(b, 'timingSafeEqual');
    if (a.byteLength !== b.byteLength) throw new TypeError('timingSafeEqual: the two buffers must have the same length');
    return timingSafeEqualBytes(a, b);
  },
};
Object.assign(internals, { subtle, CryptoKey, makeKey, nativeCall, KEY, bytes });
define('CryptoKey', CryptoKey);
})
