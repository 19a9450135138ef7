// ext-urlpattern.js: URLPattern (URL Pattern Standard): components compiled from a pattern
// string or an init dictionary, canonicalized with the URL Standard's encode sets, matched
// with test() and exec(). The pattern grammar is in ext-urlpattern-parser.js. Loaded on the
// first use of URLPattern.
(function (internals) {
"use strict";
const { define, native, G } = internals;
const P = internals.loadExtension('urlpattern-parser').urlPatternParser;
const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
const SPECIAL = { ftp: '21', file: '', http: '80', https: '443', ws: '80', wss: '443' };
const DEFAULT_OPTIONS = { delimiter: '', prefix: '', ignoreCase: false };
const HOSTNAME_OPTIONS = { delimiter: '.', prefix: '', ignoreCase: false };
const PATHNAME_OPTIONS = { delimiter: '/', prefix: '/', ignoreCase: false };
// The standard compiles with the `v` flag (set notation in classes); `u` where the engine lacks it.
const FLAGS = (() => { try { new RegExp('', 'v'); return 'v'; } catch (e) { return 'u'; } })();

// ---- canonicalization: the URL Standard's percent-encode sets, as the spec's dummy URLs give
const C0 = (c) => c < 0x20 || c > 0x7e;
const FRAGMENT = (c) => C0(c) || ' "<>`'.includes(String.fromCharCode(c));
const QUERY = (c) => C0(c) || ' "#<>'.includes(String.fromCharCode(c));
const USERINFO = (c) => QUERY(c) || '?`{}/:;=@[\\]^|'.includes(String.fromCharCode(c));
function percentEncode(value, inSet) {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0);
    if (!inSet(c)) { out += ch; continue; }
    for (const b of native.encode(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
const fail = (what, value) => { throw new TypeError(`URLPattern: invalid ${what} "${value}"`); };
const canonical = {
  protocol(v) { if (v === '') return v; if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(v)) fail('protocol', v); return v.toLowerCase(); },
  username: (v) => percentEncode(v, USERINFO),
  password: (v) => percentEncode(v, USERINFO),
  // The URL parser's hostname state with a state override: tab and newlines dropped, the host
  // ends at / ? #, forbidden host code points fail; IPv6 literals and non-ASCII domains go
  // through the host parser (IDNA to ASCII).
  hostname(v) {
    if (v === '') return v;
    v = v.replace(/[\t\n\r]/g, '');
    const viaHostParser = () => { try { return new G.URL('http://' + v + '/').hostname; } catch (e) { return fail('hostname', v); } };
    if (v[0] === '[') return viaHostParser();
    const end = v.search(/[/?#]/);
    if (end >= 0) v = v.slice(0, end);
    if (/[\0 :<>@[\\\]^|]/.test(v)) fail('hostname', v);
    return /[^\x00-\x7f]/.test(v) ? viaHostParser() : percentEncode(v, C0);
  },
  ipv6Hostname(v) { if (!/^[0-9A-Fa-f[\]:]*$/.test(v)) fail('IPv6 hostname', v); return v.toLowerCase(); },
  port(v, protocol) {
    if (v === '') return v;
    const digits = /^[0-9]*/.exec(v)[0];
    if (digits === '' || Number(digits) > 65535) fail('port', v);
    const port = String(Number(digits));
    return protocol !== undefined && SPECIAL[protocol] === port ? '' : port;
  },
  pathname(v) {
    if (v === '') return v;
    const leadingSlash = v[0] === '/';
    const path = new G.URL('fake://fake-url' + (leadingSlash ? '' : '/-') + v.replace(/\?/g, '%3F').replace(/#/g, '%23')).pathname;
    return leadingSlash ? path : path.slice(2);
  },
  opaquePathname: (v) => percentEncode(v, C0),
  search: (v) => percentEncode(v, QUERY),
  hash: (v) => percentEncode(v, FRAGMENT),
};

// ---- init processing --------------------------------------------------------------------
function isAbsolutePathname(v, type) {
  if (v === '') return false;
  if (v[0] === '/') return true;
  if (type === 'url' || v.length < 2) return false;
  return (v[0] === '\\' || v[0] === '{') && v[1] === '/';
}
function processInit(init, type, defaults) {
  const result = Object.assign({}, defaults);
  const has = (...keys) => keys.some((k) => init[k] !== undefined);
  const fromBase = (v) => (type === 'pattern' ? P.escapePattern(v) : v);
  let base = null;
  if (init.baseURL !== undefined) {
    try { base = new G.URL(String(init.baseURL)); } catch (e) { throw new TypeError(`URLPattern: invalid baseURL "${init.baseURL}"`); }
    if (!has('protocol')) result.protocol = fromBase(base.protocol.slice(0, -1));
    if (type !== 'pattern' && !has('protocol', 'hostname', 'port', 'username')) result.username = fromBase(base.username);
    if (type !== 'pattern' && !has('protocol', 'hostname', 'port', 'username', 'password')) result.password = fromBase(base.password);
    if (!has('protocol', 'hostname')) result.hostname = fromBase(base.hostname);
    if (!has('protocol', 'hostname', 'port')) result.port = base.port;
    if (!has('protocol', 'hostname', 'port', 'pathname')) result.pathname = fromBase(base.pathname);
    if (!has('protocol', 'hostname', 'port', 'pathname', 'search')) result.search = fromBase(base.search.slice(1));
    if (!has('protocol', 'hostname', 'port', 'pathname', 'search', 'hash')) result.hash = fromBase(base.hash.slice(1));
  }
  const str = (k) => String(init[k]);
  if (has('protocol')) { const v = str('protocol').replace(/:$/, ''); result.protocol = type === 'pattern' ? v : canonical.protocol(v); }
  for (const k of ['username', 'password', 'hostname']) if (has(k)) result[k] = type === 'pattern' ? str(k) : canonical[k](str(k));
  if (has('port')) result.port = type === 'pattern' ? str('port') : canonical.port(str('port'), result.protocol);
  if (has('pathname')) {
    let v = str('pathname');
    const opaqueBase = base !== null && !(base.protocol.slice(0, -1) in SPECIAL) && !base.pathname.startsWith('/');
    if (base !== null && !opaqueBase && !isAbsolutePathname(v, type)) {
      const basePath = fromBase(base.pathname), slash = basePath.lastIndexOf('/');
      if (slash >= 0) v = basePath.slice(0, slash + 1) + v;
    }
    if (type !== 'pattern') v = result.protocol === '' || result.protocol in SPECIAL ? canonical.pathname(v) : canonical.opaquePathname(v);
    result.pathname = v;
  }
  if (has('search')) { const v = str('search').replace(/^\?/, ''); result.search = type === 'pattern' ? v : canonical.search(v); }
  if (has('hash')) { const v = str('hash').replace(/^#/, ''); result.hash = type === 'pattern' ? v : canonical.hash(v); }
  return result;
}

// ---- components -------------------------------------------------------------------------
function compile(input, encode, options) {
  const parts = P.parsePattern(input, options, encode);
  const { source, names } = P.regexpOf(parts, options);
  let regexp;
  try { regexp = new RegExp(source, options.ignoreCase ? FLAGS + 'i' : FLAGS); } catch (e) { throw new TypeError(`URLPattern: invalid regular expression in "${input}": ${e.message}`); }
  return { regexp, names, pattern: P.patternStringOf(parts, options), hasRegExpGroups: parts.some((p) => p.type === 'regexp') };
}
const matchesSpecialScheme = (component) => Object.keys(SPECIAL).some((s) => component.regexp.test(s));
const isIPv6Pattern = (v) => v.length >= 2 && (v[0] === '[' || ((v[0] === '{' || v[0] === '\\') && v[1] === '['));

const COMPONENTS_OF = Symbol('components');
class URLPattern {
  constructor(input = {}, baseURL, options) {
    if (typeof baseURL === 'object' && baseURL !== null) { options = baseURL; baseURL = undefined; }
    let init;
    if (typeof input === 'string') {
      init = P.parseConstructorString(input, (protocol) => matchesSpecialScheme(compile(protocol, canonical.protocol, DEFAULT_OPTIONS)));
      if (baseURL === undefined && init.protocol === undefined) throw new TypeError(`URLPattern: "${input}" is relative and no baseURL was given`);
      if (baseURL !== undefined) init.baseURL = String(baseURL);
    } else {
      if (input === null || typeof input !== 'object') throw new TypeError('URLPattern: input must be a string or an object');
      if (baseURL !== undefined) throw new TypeError('URLPattern: a baseURL is only allowed with a string input');
      init = input;
    }
    const processed = processInit(init, 'pattern', {});
    for (const k of COMPONENTS) if (processed[k] === undefined) processed[k] = '*';
    if (processed.protocol in SPECIAL && processed.port === SPECIAL[processed.protocol]) processed.port = '';
    const ignoreCase = !!(options && options.ignoreCase);
    const c = {};
    c.protocol = compile(processed.protocol, canonical.protocol, DEFAULT_OPTIONS);
    c.username = compile(processed.username, canonical.username, DEFAULT_OPTIONS);
    c.password = compile(processed.password, canonical.password, DEFAULT_OPTIONS);
    c.hostname = compile(processed.hostname, isIPv6Pattern(processed.hostname) ? canonical.ipv6Hostname : canonical.hostname, HOSTNAME_OPTIONS);
    c.port = compile(processed.port, (v) => canonical.port(v), DEFAULT_OPTIONS);
    const opts = Object.assign({}, DEFAULT_OPTIONS, { ignoreCase });
    c.pathname = matchesSpecialScheme(c.protocol)
      ? compile(processed.pathname, canonical.pathname, Object.assign({}, PATHNAME_OPTIONS, { ignoreCase }))
      : compile(processed.pathname, canonical.opaquePathname, opts);
    c.search = compile(processed.search, canonical.search, opts);
    c.hash = compile(processed.hash, canonical.hash, opts);
    this[COMPONENTS_OF] = c;
  }
  test(input = {}, baseURL) { return match(this[COMPONENTS_OF], input, baseURL) !== null; }
  exec(input = {}, baseURL) { return match(this[COMPONENTS_OF], input, baseURL); }
  get hasRegExpGroups() { return COMPONENTS.some((k) => this[COMPONENTS_OF][k].hasRegExpGroups); }
}
for (const k of COMPONENTS) Object.defineProperty(URLPattern.prototype, k, { get() { return this[COMPONENTS_OF][k].pattern; }, configurable: true });

function match(c, input, baseURL) {
  const inputs = [input];
  let values;
  if (typeof input === 'string') {
    let url;
    try {
      if (baseURL !== undefined) { inputs.push(String(baseURL)); url = new G.URL(input, String(baseURL)); } else url = new G.URL(input);
    } catch (e) { return null; }
    values = { protocol: url.protocol.slice(0, -1), username: url.username, password: url.password, hostname: url.hostname,
      port: url.port, pathname: url.pathname, search: url.search.slice(1), hash: url.hash.slice(1) };
  } else {
    if (input === null || typeof input !== 'object') throw new TypeError('URLPattern: input must be a string or an object');
    if (baseURL !== undefined) throw new TypeError('URLPattern: a baseURL is only allowed with a string input');
    try { values = processInit(input, 'url', Object.fromEntries(COMPONENTS.map((k) => [k, '']))); } catch (e) { return null; }
  }
  const result = { inputs };
  for (const k of COMPONENTS) {
    const m = c[k].regexp.exec(values[k]);
    if (m === null) return null;
    const groups = {};
    c[k].names.forEach((name, i) => { groups[name] = m[i + 1]; });
    result[k] = { input: values[k], groups };
  }
  return result;
}

define('URLPattern', URLPattern);
})
