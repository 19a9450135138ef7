// ext-urlpattern-parser.js: the URL Pattern Standard's pattern machinery: the tokenizer, the
// pattern-string parser into parts, the regular expression and pattern string generated from
// parts, and the constructor-string parser that splits "https://*.example.com/:id" into
// components. Loaded with ext-urlpattern.js.
(function (internals) {
"use strict";
const SEGMENT_DEFAULT = '', FULL_WILDCARD = '.*';
const isNameCodePoint = (c, first) => (first ? /[$_\p{ID_Start}]/u : /[$\u200C\u200D\p{ID_Continue}]/u).test(c);
const isASCII = (c) => c.codePointAt(0) < 0x80;

// ---- tokenizer --------------------------------------------------------------------------
// policy 'strict' throws on a malformed token; 'lenient' (constructor strings) turns it into
// an invalid-char token. Token indexes are code point indexes into the input.
function tokenize(input, policy) {
  const cps = Array.from(input), n = cps.length, tokens = [];
  let i = 0;
  const add = (type, next, valueStart = i, valueEnd = next) => { tokens.push({ type, index: i, value: cps.slice(valueStart, valueEnd).join('') }); i = next; };
  const error = (next, valuePos) => {
    if (policy === 'strict') throw new TypeError(`URLPattern: invalid pattern "${input}" at ${valuePos}`);
    tokens.push({ type: 'invalid-char', index: i, value: cps.slice(valuePos, next).join('') });
    i = next;
  };
  while (i < n) {
    const c = cps[i];
    if (c === '*') { add('asterisk', i + 1); continue; }
    if (c === '+' || c === '?') { add('other-modifier', i + 1); continue; }
    if (c === '\\') {
      if (i === n - 1) { error(i + 1, i); continue; }
      add('escaped-char', i + 2, i + 1, i + 2); continue;
    }
    if (c === '{') { add('open', i + 1); continue; }
    if (c === '}') { add('close', i + 1); continue; }
    if (c === ':') {
      let p = i + 1;
      while (p < n && isNameCodePoint(cps[p], p === i + 1)) p++;
      if (p === i + 1) { error(i + 1, i); continue; }
      add('name', p, i + 1, p); continue;
    }
    if (c === '(') {
      let depth = 1, p = i + 1, failed = false;
      const start = p;
      while (p < n) {
        const d = cps[p];
        if (!isASCII(d) || (p === start && d === '?')) { error(start, i); failed = true; break; }
        if (d === '\\') {
          if (p === n - 1 || !isASCII(cps[p + 1])) { error(start, i); failed = true; break; }
          p += 2; continue;
        }
        if (d === ')') { depth--; if (depth === 0) { p++; break; } }
        else if (d === '(') {
          depth++;
          if (p === n - 1 || cps[p + 1] !== '?') { error(start, i); failed = true; break; }
        }
        p++;
      }
      if (failed) continue;
      if (depth !== 0 || p - start - 1 === 0) { error(start, i); continue; }
      add('regexp', p, start, p - 1); continue;
    }
    add('char', i + 1);
  }
  tokens.push({ type: 'end', index: i, value: '' });
  return tokens;
}

// ---- pattern string -> parts ------------------------------------------------------------
const escapeRegexp = (s) => s.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
const escapePattern = (s) => s.replace(/[+*?:{}()\\]/g, '\\$&');
const segmentWildcard = (options) => `[^${escapeRegexp(options.delimiter)}]+?`;
const MODIFIERS = { '?': 'optional', '*': 'zero-or-more', '+': 'one-or-more' };
const MODIFIER_STRING = { none: '', optional: '?', 'zero-or-more': '*', 'one-or-more': '+' };

function parsePattern(input, options, encode) {
  const tokens = tokenize(input, 'strict'), parts = [], names = new Set();
  let index = 0, pending = '', nextNumeric = 0;
  const tryConsume = (type) => (tokens[index].type === type ? tokens[index++] : null);
  const tryModifier = () => tryConsume('other-modifier') || tryConsume('asterisk');
  const tryRegexpOrWildcard = (name) => tryConsume('regexp') || (name === null ? tryConsume('asterisk') : null);
  const consumeRequired = (type) => {
    const t = tryConsume(type);
    if (!t) throw new TypeError(`URLPattern: invalid pattern "${input}": expected ${type}, found ${tokens[index].type}`);
    return t;
  };
  const consumeText = () => { let s = ''; for (let t; (t = tryConsume('char') || tryConsume('escaped-char'));) s += t.value; return s; };
  const flushPending = () => {
    if (pending === '') return;
    const value = encode(pending);
    pending = '';
    if (value !== '') parts.push({ type: 'fixed-text', value, modifier: 'none', name: '', prefix: '', suffix: '' });
  };
  const addPart = (prefix, nameToken, regexpToken, suffix, modifierToken) => {
    const modifier = modifierToken ? MODIFIERS[modifierToken.value] : 'none';
    if (!nameToken && !regexpToken && modifier === 'none') { pending += prefix; return; }
    flushPending();
    if (!nameToken && !regexpToken) {
      if (prefix === '') return;
      parts.push({ type: 'fixed-text', value: encode(prefix), modifier, name: '', prefix: '', suffix: '' });
      return;
    }
    let value = !regexpToken ? segmentWildcard(options) : regexpToken.type === 'asterisk' ? FULL_WILDCARD : regexpToken.value;
    let type = 'regexp';
    if (value === segmentWildcard(options)) { type = 'segment-wildcard'; value = SEGMENT_DEFAULT; }
    else if (value === FULL_WILDCARD) { type = 'full-wildcard'; value = SEGMENT_DEFAULT; }
    const name = nameToken ? nameToken.value : String(nextNumeric++);
    if (names.has(name)) throw new TypeError(`URLPattern: duplicate group name "${name}"`);
    names.add(name);
    parts.push({ type, value, modifier, name, prefix: encode(prefix), suffix: encode(suffix) });
  };
  while (index < tokens.length) {
    const charToken = tryConsume('char');
    let nameToken = tryConsume('name');
    let regexpToken = tryRegexpOrWildcard(nameToken);
    if (nameToken || regexpToken) {
      let prefix = charToken ? charToken.value : '';
      if (prefix !== '' && prefix !== options.prefix) { pending += prefix; prefix = ''; }
      flushPending();
      addPart(prefix, nameToken, regexpToken, '', tryModifier());
      continue;
    }
    const fixed = charToken || tryConsume('escaped-char');
    if (fixed) { pending += fixed.value; continue; }
    if (tryConsume('open')) {
      const prefix = consumeText();
      nameToken = tryConsume('name');
      regexpToken = tryRegexpOrWildcard(nameToken);
      const suffix = consumeText();
      consumeRequired('close');
      addPart(prefix, nameToken, regexpToken, suffix, tryModifier());
      continue;
    }
    flushPending();
    consumeRequired('end');
  }
  return parts;
}

// ---- parts -> regular expression, parts -> pattern string -------------------------------
function regexpOf(parts, options) {
  let out = '^';
  const names = [];
  for (const p of parts) {
    const mod = MODIFIER_STRING[p.modifier];
    if (p.type === 'fixed-text') { out += p.modifier === 'none' ? escapeRegexp(p.value) : `(?:${escapeRegexp(p.value)})${mod}`; continue; }
    names.push(p.name);
    const value = p.type === 'segment-wildcard' ? segmentWildcard(options) : p.type === 'full-wildcard' ? FULL_WILDCARD : p.value;
    const single = p.modifier === 'none' || p.modifier === 'optional';
    if (p.prefix === '' && p.suffix === '') { out += single ? `(${value})${mod}` : `((?:${value})${mod})`; continue; }
    const pre = escapeRegexp(p.prefix), suf = escapeRegexp(p.suffix);
    if (single) { out += `(?:${pre}(${value})${suf})${mod}`; continue; }
    out += `(?:${pre}((?:${value})(?:${suf}${pre}(?:${value}))*)${suf})`;
    if (p.modifier === 'zero-or-more') out += '?';
  }
  return { source: out + '$', names };
}

function patternStringOf(parts, options) {
  let out = '';
  parts.forEach((p, i) => {
    const prev = parts[i - 1] || null, next = parts[i + 1] || null, mod = MODIFIER_STRING[p.modifier];
    if (p.type === 'fixed-text') { out += p.modifier === 'none' ? escapePattern(p.value) : `{${escapePattern(p.value)}}${mod}`; return; }
    const custom = !/^[0-9]/.test(p.name);
    let grouping = p.suffix !== '' || (p.prefix !== '' && p.prefix !== options.prefix);
    if (!grouping && custom && p.type === 'segment-wildcard' && p.modifier === 'none' && next && next.prefix === '' && next.suffix === '') {
      grouping = next.type === 'fixed-text' ? isNameCodePoint(Array.from(next.value)[0] || '', false) : /^[0-9]/.test(next.name);
    }
    if (!grouping && p.prefix === '' && prev && prev.type === 'fixed-text' && prev.value !== '' && Array.from(prev.value).pop() === options.prefix) grouping = true;
    if (grouping) out += '{';
    out += escapePattern(p.prefix);
    if (custom) out += ':' + p.name;
    if (p.type === 'regexp') out += `(${p.value})`;
    else if (p.type === 'segment-wildcard' && !custom) out += `(${segmentWildcard(options)})`;
    else if (p.type === 'full-wildcard') {
      out += !custom && (!prev || prev.type === 'fixed-text' || prev.modifier !== 'none' || grouping || p.prefix !== '') ? '*' : `(${FULL_WILDCARD})`;
    }
    if (p.type === 'segment-wildcard' && custom && p.suffix !== '' && isNameCodePoint(Array.from(p.suffix)[0], false)) out += '\\';
    out += escapePattern(p.suffix);
    if (grouping) out += '}';
    out += mod;
  });
  return out;
}

// ---- constructor string -> init ---------------------------------------------------------
const BEFORE_HOST = ['protocol', 'authority', 'username', 'password'];
function parseConstructorString(input, protocolIsSpecial) {
  const tokens = tokenize(input, 'lenient'), cps = Array.from(input), result = {};
  let state = 'init', index = 0, increment = 1, componentStart = 0, groupDepth = 0, ipv6Depth = 0, special = false;
  const safe = (i) => tokens[Math.min(i, tokens.length - 1)];
  const plain = (i, v) => { const t = safe(i); return t.value === v && (t.type === 'char' || t.type === 'escaped-char' || t.type === 'invalid-char'); };
  const searchPrefix = () => {
    if (plain(index, '?')) return true;
    if (tokens[index].value !== '?') return false;
    if (index - 1 < 0) return true;
    return !['name', 'regexp', 'close', 'asterisk'].includes(safe(index - 1).type);
  };
  const component = () => cps.slice(safe(componentStart).index, tokens[index].index).join('');
  const rewind = () => { index = componentStart; increment = 0; };
  const change = (next, skip) => {
    if (!['init', 'authority', 'done'].includes(state)) result[state] = component();
    if (state !== 'init' && next !== 'done') {
      if (BEFORE_HOST.includes(state) && ['port', 'pathname', 'search', 'hash'].includes(next) && result.hostname === undefined) result.hostname = '';
      if ([...BEFORE_HOST, 'hostname', 'port'].includes(state) && ['search', 'hash'].includes(next) && result.pathname === undefined) result.pathname = special ? '/' : '';
      if ([...BEFORE_HOST, 'hostname', 'port', 'pathname'].includes(state) && next === 'hash' && result.search === undefined) result.search = '';
    }
    state = next; index += skip; componentStart = index; increment = 0;
  };
  while (index < tokens.length) {
    increment = 1;
    const t = tokens[index];
    if (t.type === 'end') {
      if (state === 'init') {
        rewind();
        if (plain(index, '#')) change('hash', 1); else if (searchPrefix()) change('search', 1); else change('pathname', 0);
        index += increment; continue;
      }
      if (state === 'authority') { rewind(); state = 'hostname'; index += increment; continue; }
      change('done', 0);
      break;
    }
    if (t.type === 'open') { groupDepth++; index += increment; continue; }
    if (groupDepth > 0) {
      if (t.type === 'close') groupDepth--; else { index += increment; continue; }
    }
    switch (state) {
      case 'init': if (plain(index, ':')) { rewind(); state = 'protocol'; } break;
      case 'protocol':
        if (plain(index, ':')) {
          special = protocolIsSpecial(component());
          let next = 'pathname', skip = 1;
          if (plain(index + 1, '/') && plain(index + 2, '/')) { next = 'authority'; skip = 3; } else if (special) next = 'authority';
          change(next, skip);
        }
        break;
      case 'authority':
        if (plain(index, '@')) { rewind(); state = 'username'; }
        else if (plain(index, '/') || searchPrefix() || plain(index, '#')) { rewind(); state = 'hostname'; }
        break;
      case 'username': if (plain(index, ':')) change('password', 1); else if (plain(index, '@')) change('hostname', 1); break;
      case 'password': if (plain(index, '@')) change('hostname', 1); break;
      case 'hostname':
        if (plain(index, '[')) ipv6Depth++;
        else if (plain(index, ']')) ipv6Depth--;
        else if (plain(index, ':') && ipv6Depth === 0) change('port', 1);
        else if (plain(index, '/')) change('pathname', 0);
        else if (searchPrefix()) change('search', 1);
        else if (plain(index, '#')) change('hash', 1);
        break;
      case 'port':
        if (plain(index, '/')) change('pathname', 0); else if (searchPrefix()) change('search', 1); else if (plain(index, '#')) change('hash', 1);
        break;
      case 'pathname': if (searchPrefix()) change('search', 1); else if (plain(index, '#')) change('hash', 1); break;
      case 'search': if (plain(index, '#')) change('hash', 1); break;
    }
    index += increment;
  }
  if (result.hostname !== undefined && result.port === undefined) result.port = '';
  return result;
}

internals.urlPatternParser = { parsePattern, regexpOf, patternStringOf, parseConstructorString, escapePattern };
})
