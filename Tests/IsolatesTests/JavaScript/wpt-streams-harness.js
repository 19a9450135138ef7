// wpt-streams-harness.js: a small testharness.js-compatible shim, written for Isoring, that runs
// one web-platform-tests file inside a tenant (StreamsConformanceTests). The tenant script is
// this shim, the file's META resources, then the file's text as the body of `__wpt.define`.
//
// A request `?list` defines the file's tests and answers their names; a request `?test=K`
// defines them again and runs only test K (its own request, so its own CPU budget and timer
// budget; the others are defined but inert), answering { status, message } with status
// PASS, FAIL or TIMEOUT. Timers are the tenant's own setTimeout: called directly (no loop) the
// runtime runs them on virtual time, so a delay(100) costs nothing and a test that waits
// forever reaches its timeout once nothing else is scheduled.
(function () {
'use strict';
const G = globalThis;
const TIMEOUT_MS = 5000;

class AssertionError extends Error {
  constructor(message) { super(message); this.name = 'AssertionError'; }
}

function format_value(v, seen = []) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (v === null || v === undefined || typeof v !== 'object') return String(v);
  if (seen.includes(v)) return '[cycle]';
  if (Array.isArray(v)) return `[${v.map((x) => format_value(x, seen.concat([v]))).join(', ')}]`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try { return `object ${Object.prototype.toString.call(v)}`; } catch (e) { return 'object'; }
}

function assert(ok, name, description, message, subs) {
  if (ok) return;
  let text = message;
  for (const [k, v] of Object.entries(subs || {})) text = text.split('${' + k + '}').join(format_value(v));
  throw new AssertionError(`${name}: ${description ? description + ' ' : ''}${text}`);
}

const same = (a, b) => Object.is(a, b);

function assert_true(actual, d) { assert(actual === true, 'assert_true', d, 'expected true got ${actual}', { actual }); }
function assert_false(actual, d) { assert(actual === false, 'assert_false', d, 'expected false got ${actual}', { actual }); }
function assert_equals(actual, expected, d) {
  assert(same(actual, expected), 'assert_equals', d, 'expected ${expected} but got ${actual}', { expected, actual });
}
function assert_not_equals(actual, expected, d) {
  assert(!same(actual, expected), 'assert_not_equals', d, 'got disallowed value ${actual}', { actual });
}
function assert_in_array(actual, expected, d) {
  assert(expected.indexOf(actual) !== -1, 'assert_in_array', d, 'value ${actual} not in array ${expected}', { actual, expected });
}
function assert_array_equals(actual, expected, d) {
  assert(typeof actual === 'object' && actual !== null && 'length' in actual, 'assert_array_equals', d,
         'value is ${actual}, expected array', { actual });
  assert(actual.length === expected.length, 'assert_array_equals', d,
         'lengths differ, expected ${expected} got ${actual}', { expected, actual });
  for (let i = 0; i < actual.length; i++) {
    assert(actual.hasOwnProperty(i) === expected.hasOwnProperty(i) && same(actual[i], expected[i]), 'assert_array_equals', d,
           `expected property ${i} to be \${expected} but got \${actual}`, { expected: expected[i], actual: actual[i] });
  }
}
function assert_object_equals(actual, expected, d) {
  const check = (a, e, path, stack) => {
    if (typeof e !== 'object' || e === null) {
      assert(same(a, e), 'assert_object_equals', d, `property ${path} expected \${e} got \${a}`, { e, a });
      return;
    }
    assert(typeof a === 'object' && a !== null, 'assert_object_equals', d, `value ${path} is \${a}, expected an object`, { a });
    if (stack.includes(a)) return;
    for (const p in a) {
      assert(Object.prototype.hasOwnProperty.call(e, p), 'assert_object_equals', d, `unexpected property ${path}.${p}`, {});
      check(a[p], e[p], `${path}.${p}`, stack.concat([a]));
    }
    for (const p in e) assert(Object.prototype.hasOwnProperty.call(a, p), 'assert_object_equals', d, `expected property ${path}.${p} missing`, {});
  };
  check(actual, expected, '', []);
}
function assert_greater_than(actual, expected, d) {
  assert(typeof actual === 'number' && actual > expected, 'assert_greater_than', d, 'expected a number greater than ${expected} but got ${actual}', { expected, actual });
}
function assert_less_than(actual, expected, d) {
  assert(typeof actual === 'number' && actual < expected, 'assert_less_than', d, 'expected a number less than ${expected} but got ${actual}', { expected, actual });
}
function assert_greater_than_equal(actual, expected, d) {
  assert(typeof actual === 'number' && actual >= expected, 'assert_greater_than_equal', d, 'expected ${actual} >= ${expected}', { expected, actual });
}
function assert_less_than_equal(actual, expected, d) {
  assert(typeof actual === 'number' && actual <= expected, 'assert_less_than_equal', d, 'expected ${actual} <= ${expected}', { expected, actual });
}
function assert_approx_equals(actual, expected, epsilon, d) {
  assert(typeof actual === 'number' && Math.abs(actual - expected) <= epsilon, 'assert_approx_equals', d,
         'expected ${expected} +/- ${epsilon} but got ${actual}', { expected, epsilon, actual });
}
function assert_regexp_match(actual, re, d) {
  assert(re.test(actual), 'assert_regexp_match', d, 'expected ${re} to match ${actual}', { re, actual });
}
function assert_own_property(object, name, d) {
  assert(Object.prototype.hasOwnProperty.call(object, name), 'assert_own_property', d, `expected property "${name}" missing`, {});
}
function assert_not_own_property(object, name, d) {
  assert(!Object.prototype.hasOwnProperty.call(object, name), 'assert_not_own_property', d, `unexpected property "${name}"`, {});
}
function assert_class_string(object, expected, d) {
  const actual = Object.prototype.toString.call(object);
  assert(actual === `[object ${expected}]`, 'assert_class_string', d, 'expected ${expected} got ${actual}', { expected: `[object ${expected}]`, actual });
}
function assert_unreached(d) { assert(false, 'assert_unreached', d, 'Reached unreachable code', {}); }
function assert_implements(condition, d) { assert(!!condition, 'assert_implements', d, '', {}); }
function assert_implements_optional(condition, d) { assert(!!condition, 'assert_implements_optional', d, '', {}); }

function assert_throws_js(constructor, func, d) {
  let thrown = false, e;
  try { func.call(this); } catch (x) { thrown = true; e = x; }
  assert(thrown, 'assert_throws_js', d, "the function did not throw", {});
  assert(typeof e === 'object' && e !== null, 'assert_throws_js', d, '${e} thrown, not an object', { e });
  assert(e instanceof constructor && e.constructor === constructor && e.name === constructor.name, 'assert_throws_js', d,
         `\${e} is not a ${constructor.name}`, { e });
}
function assert_throws_exactly(expected, func, d) {
  let thrown = false, e;
  try { func.call(this); } catch (x) { thrown = true; e = x; }
  assert(thrown, 'assert_throws_exactly', d, "the function did not throw", {});
  assert(same(e, expected), 'assert_throws_exactly', d, '${e} thrown, expected ${expected}', { e, expected });
}
function assert_throws_dom(type, funcOrConstructor, maybeFunc, d) {
  const func = typeof maybeFunc === 'function' ? maybeFunc : funcOrConstructor;
  if (typeof maybeFunc !== 'function') d = maybeFunc;
  let thrown = false, e;
  try { func.call(this); } catch (x) { thrown = true; e = x; }
  assert(thrown, 'assert_throws_dom', d, "the function did not throw", {});
  const name = typeof type === 'number' ? undefined : type;
  assert(typeof e === 'object' && e !== null && (name === undefined || e.name === name || e.code === type), 'assert_throws_dom', d,
         `\${e} is not a DOMException ${type}`, { e });
}
// The older form (before assert_throws_js): an object whose name the thrown error must carry.
function assert_throws(code, func, d) {
  let thrown = false, e;
  try { func.call(this); } catch (x) { thrown = true; e = x; }
  assert(thrown, 'assert_throws', d, "the function did not throw", {});
  if (code === null) return;
  if (typeof code === 'object' && 'name' in code) {
    assert(typeof e === 'object' && e !== null && e.name === code.name, 'assert_throws', d, '${e} thrown, expected ${code}', { e, code });
  } else {
    assert(e === code, 'assert_throws', d, '${e} thrown, expected ${code}', { e, code });
  }
}

function rejection(test, promise, check, description) {
  return promise.then(test.unreached_func(`Should have rejected: ${description === undefined ? '' : description}`),
    (e) => check(() => { throw e; }, description));
}
function promise_rejects_js(test, constructor, promise, d) {
  return rejection(test, promise, (f, desc) => assert_throws_js(constructor, f, desc), d);
}
function promise_rejects_exactly(test, expected, promise, d) {
  return rejection(test, promise, (f, desc) => assert_throws_exactly(expected, f, desc), d);
}
function promise_rejects_dom(test, type, promiseOrConstructor, maybePromise, d) {
  const promise = maybePromise && typeof maybePromise.then === 'function' ? maybePromise : promiseOrConstructor;
  if (promise === promiseOrConstructor) d = maybePromise;
  return rejection(test, promise, (f, desc) => assert_throws_dom(type, f, desc), d);
}
function promise_rejects(test, expected, promise, d) {
  return rejection(test, promise, (f, desc) => assert_throws(expected, f, desc), d);
}

// ---- tests --------------------------------------------------------------------------
class Test {
  constructor(name, live) {
    this.name = name;
    this.live = live;
    this.status = null;        // 'PASS' | 'FAIL' | 'TIMEOUT' once decided
    this.message = '';
    this.cleanups = [];
    this.finished = null;      // resolves when the result is known
    this._resolve = null;
    this.finished = new Promise((r) => { this._resolve = r; });
  }
  _result(status, message) {
    if (this.status !== null || !this.live) return;
    this.status = status; this.message = message;
    this._resolve();
  }
  step(func, thisObj, ...args) {
    if (!this.live || this.status !== null) return undefined;
    try {
      return func.apply(thisObj, args);
    } catch (e) {
      this._result('FAIL', describe(e));
      return undefined;
    }
  }
  step_func(func, thisObj) {
    const t = this;
    return function (...args) { return t.step(func, thisObj === undefined ? this : thisObj, ...args); };
  }
  step_func_done(func, thisObj) {
    const t = this;
    return function (...args) {
      if (func) t.step(func, thisObj === undefined ? this : thisObj, ...args);
      t.done();
    };
  }
  unreached_func(description) {
    return this.step_func(() => assert_unreached(description));
  }
  step_timeout(func, ms, ...args) {
    return setTimeout(this.step_func(() => func.apply(this, args)), ms);
  }
  add_cleanup(fn) { this.cleanups.push(fn); }
  done() { this._result('PASS', ''); }
}

function describe(e) {
  if (e instanceof AssertionError) return e.message;
  if (e && typeof e === 'object' && 'name' in e) return `${e.name}: ${e.message}`;
  return `threw ${format_value(e)}`;
}

// The file's tests in definition order: { name, kind, body, test }.
let registry = [];
let selected = -1;

function register(kind, body, name) {
  const index = registry.length;
  const t = new Test(name, index === selected);
  registry.push({ name, kind, body, test: t });
  return t;
}
function test(body, name) { register('test', body, name); }
function promise_test(body, name) { register('promise', body, name); }
function async_test(body, name) {
  if (typeof body !== 'function') { name = body; body = null; }
  return register('async', body, name);
}

async function runSelected() {
  const entry = registry[selected];
  if (!entry) return { status: 'FAIL', message: `no test ${selected} (the file defined ${registry.length})` };
  const t = entry.test;
  const timer = setTimeout(() => t._result('TIMEOUT', `no result after ${TIMEOUT_MS} ms of virtual time`), TIMEOUT_MS);
  if (entry.kind === 'test') {
    t.step(entry.body, t, t);
    t.done();
  } else if (entry.kind === 'async') {
    if (entry.body) t.step(entry.body, t, t);
  } else {
    const result = t.step(entry.body, t, t);
    if (t.status === null) {
      if (!result || typeof result.then !== 'function') {
        t._result('FAIL', 'promise_test: test body must return a thenable');
      } else {
        result.then(() => t.done(), (e) => t._result('FAIL', describe(e)));
      }
    }
  }
  await t.finished;
  clearTimeout(timer);
  for (const fn of t.cleanups) {
    try { await fn(); } catch (e) { if (t.status === 'PASS') { t.status = 'FAIL'; t.message = `cleanup threw ${describe(e)}`; } }
  }
  return { status: t.status, message: t.message };
}

function define() {
  registry = [];
  G.__wpt.define();
}

G.__wpt = {
  define: null,
  async handle(request) {
    const params = new URL(request.url).searchParams;
    selected = params.has('list') ? -1 : Number(params.get('test'));
    try { define(); } catch (e) { return Response.json({ error: `defining the tests threw ${describe(e)}` }); }
    if (selected === -1) return Response.json({ names: registry.map((e) => e.name) });
    return Response.json(await runSelected());
  },
};

Object.assign(G, {
  test, promise_test, async_test, format_value, AssertionError,
  step_timeout: (fn, ms, ...args) => setTimeout(fn, ms, ...args),
  done() {}, setup() {},
  assert_true, assert_false, assert_equals, assert_not_equals, assert_in_array, assert_array_equals,
  assert_object_equals, assert_greater_than, assert_less_than, assert_greater_than_equal, assert_less_than_equal,
  assert_approx_equals, assert_regexp_match, assert_own_property, assert_not_own_property, assert_class_string,
  assert_unreached, assert_implements, assert_implements_optional, assert_throws_js, assert_throws_exactly,
  assert_throws_dom, assert_throws, promise_rejects_js, promise_rejects_exactly, promise_rejects_dom, promise_rejects,
});
})();
