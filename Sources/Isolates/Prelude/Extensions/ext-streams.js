// ext-streams.js: ReadableStream, WritableStream, TransformStream and the text and identity
// transforms (WHATWG Streams, default (non-byte) streams), loaded on the first use of any of them.
// Queues, back-pressure (desiredSize from the strategy's highWaterMark), readers, writers,
// pipeTo/pipeThrough, tee and async iteration.
(function (internals) {
"use strict";
const { define, DOMException, native } = internals;

// User callbacks run through Reflect.apply: a source whose function overrides .call or .apply
// must not see them used (the standard calls the function itself).
const call = (f, thisArg, ...args) => Reflect.apply(f, thisArg, args);
// A QueuingStrategy argument as the standard's IDL layer reads it: each member read once, in
// order (highWaterMark converted to a number there), before the underlying source or sink.
function strategyOf(strategy) {
  if (strategy === undefined || strategy === null) return { highWaterMark: undefined, size: undefined };
  if (typeof strategy !== 'object' && typeof strategy !== 'function') throw new TypeError('the queuing strategy must be an object');
  let highWaterMark = strategy.highWaterMark;
  if (highWaterMark !== undefined) highWaterMark = Number(highWaterMark);
  const size = strategy.size;
  if (size !== undefined && typeof size !== 'function') throw new TypeError('the queuing strategy size must be a function');
  return { highWaterMark, size };
}
function sizeOf(strategy) {
  const size = strategy.size;
  return size === undefined ? () => 1 : (chunk) => call(size, undefined, chunk);
}
function hwm(strategy, fallback) {
  const h = strategy.highWaterMark === undefined ? fallback : strategy.highWaterMark;
  if (Number.isNaN(h) || h < 0) throw new RangeError('highWaterMark must be a non-negative number');
  return h;
}
// An underlying source, sink or transformer read as a dictionary: each named member read once,
// in order, and each member not named in `data` checked to be callable.
function membersOf(object, names, what, data = []) {
  const out = {};
  if (object === undefined || object === null) return out;
  if (typeof object !== 'object' && typeof object !== 'function') throw new TypeError(`${what} must be an object`);
  for (const name of names) {
    const value = object[name];
    if (value === undefined) continue;
    if (!data.includes(name) && typeof value !== 'function') {
      throw new TypeError(`${what}.${name} must be a function`);
    }
    out[name] = value;
  }
  return out;
}
function deferred() {
  const d = { settled: false };
  d.promise = new Promise((a, b) => {
    d.resolve = (v) => { d.settled = true; a(v); };
    d.reject = (e) => { d.settled = true; b(e); };
  });
  d.promise.catch(() => {});
  return d;
}
// A promise the standard keeps across a state change when it is still pending (a reader's or
// writer's `closed`, a writer's `ready`): rejected in place if pending, replaced if settled.
function rejectKeeping(d, e) {
  if (!d.settled) { d.reject(e); return d; }
  const r = deferred(); r.reject(e); return r;
}

// ---- ReadableStream -------------------------------------------------------------------
class ReadableStreamDefaultController {
  #stream;
  constructor(stream) { if (!(stream instanceof ReadableStream)) throw new TypeError('Illegal constructor'); this.#stream = stream; }
  get desiredSize() { return this.#stream._desiredSize(); }
  enqueue(chunk) { this.#stream._enqueue(chunk); }
  close() { this.#stream._closeRequested(); }
  error(e) { this.#stream._error(e); }
}

class ReadableStream {
  #state = 'readable'; #queue = []; #queueSize = 0; #reader = null; #storedError;
  #source; #controller; #hwm; #size; #started = false; #pulling = false; #pullAgain = false;
  #closeRequested = false; #disturbed = false; #pullFn; #cancelFn;
  constructor(source = undefined, strategy = undefined) {
    if (source === null) throw new TypeError('ReadableStream: source must be an object');
    const queuing = strategyOf(strategy);
    const m = membersOf(source, ['autoAllocateChunkSize', 'cancel', 'pull', 'start', 'type'], 'ReadableStream: the underlying source',
                        ['autoAllocateChunkSize', 'type']);
    if (m.type !== undefined) {
      const type = String(m.type);
      if (type === 'bytes') throw new RangeError('ReadableStream: byte streams (type: "bytes") are not supported');
      throw new TypeError(`ReadableStream: invalid type ${type}`);
    }
    this.#source = source; this.#pullFn = m.pull; this.#cancelFn = m.cancel;
    this.#hwm = hwm(queuing, 1); this.#size = sizeOf(queuing);
    this.#controller = new ReadableStreamDefaultController(this);
    let start;
    try { start = m.start ? call(m.start, source, this.#controller) : undefined; } catch (e) { this._error(e); throw e; }
    Promise.resolve(start).then(() => { this.#started = true; this._pullIfNeeded(); }, (e) => this._error(e));
  }
  static from(iterable) {
    const it = asyncIteratorOf(iterable);
    return new ReadableStream({
      async pull(c) {
        const r = await it.next();
        if (r === null || (typeof r !== 'object' && typeof r !== 'function')) throw new TypeError('ReadableStream.from: next() gave a non-object');
        if (r.done) c.close(); else c.enqueue(r.value);
      },
      async cancel(reason) {
        const method = it.iterator.return;
        if (method === undefined || method === null) return;
        if (typeof method !== 'function') throw new TypeError('ReadableStream.from: return is not a method');
        const r = await call(method, it.iterator, reason);
        if (r === null || (typeof r !== 'object' && typeof r !== 'function')) throw new TypeError('ReadableStream.from: return() gave a non-object');
      },
    }, { highWaterMark: 0 });
  }
  get locked() { return this.#reader !== null; }
  _isDisturbed() { return this.#disturbed; }
  _state() { return this.#state; }
  _storedError() { return this.#storedError; }
  _canCloseOrEnqueue() { return this.#state === 'readable' && !this.#closeRequested; }
  _desiredSize() {
    if (this.#state === 'errored') return null;
    if (this.#state === 'closed') return 0;
    return this.#hwm - this.#queueSize;
  }
  _enqueue(chunk) {
    if (this.#closeRequested || this.#state !== 'readable') throw new TypeError('ReadableStream: cannot enqueue after close or error');
    if (this.#reader !== null && this.#reader._hasReadRequest()) {
      this.#reader._fulfil({ value: chunk, done: false });
    } else {
      let size;
      try { size = Number(this.#size(chunk)); } catch (e) { this._error(e); throw e; }
      if (!(size >= 0) || size === Infinity) { const e = new RangeError('chunk size must be a finite non-negative number'); this._error(e); throw e; }
      this.#queue.push([chunk, size]); this.#queueSize += size;
    }
    this._pullIfNeeded();
  }
  _closeRequested() {
    if (this.#closeRequested || this.#state !== 'readable') throw new TypeError('ReadableStream: already closing or closed');
    this.#closeRequested = true;
    if (this.#queue.length === 0) this._close();
  }
  _close() {
    this.#state = 'closed';
    if (this.#reader !== null) this.#reader._closed();
  }
  _error(e) {
    if (this.#state !== 'readable') return;
    this.#state = 'errored'; this.#storedError = e; this.#queue = []; this.#queueSize = 0;
    if (this.#reader !== null) this.#reader._errored(e);
  }
  _pullIfNeeded() {
    if (!this.#started || this.#state !== 'readable' || this.#closeRequested) return;
    const wanted = (this.#reader !== null && this.#reader._hasReadRequest()) || this._desiredSize() > 0;
    if (!wanted || !this.#pullFn) return;
    if (this.#pulling) { this.#pullAgain = true; return; }
    this.#pulling = true;
    let p;
    try { p = call(this.#pullFn, this.#source, this.#controller); } catch (e) { this._error(e); return; }
    Promise.resolve(p).then(() => {
      this.#pulling = false;
      if (this.#pullAgain) { this.#pullAgain = false; this._pullIfNeeded(); }
    }, (e) => this._error(e));
  }
  // A read from the reader: from the queue, or wait.
  _read(reader) {
    this.#disturbed = true;
    if (this.#state === 'closed') return Promise.resolve({ value: undefined, done: true });
    if (this.#state === 'errored') return Promise.reject(this.#storedError);
    if (this.#queue.length > 0) {
      const [chunk, size] = this.#queue.shift(); this.#queueSize -= size;
      if (this.#queueSize < 0) this.#queueSize = 0; // rounding, as the standard's DequeueValue does
      if (this.#closeRequested && this.#queue.length === 0) this._close(); else this._pullIfNeeded();
      return Promise.resolve({ value: chunk, done: false });
    }
    const p = reader._addReadRequest();
    this._pullIfNeeded();
    return p;
  }
  _cancel(reason) {
    this.#disturbed = true;
    if (this.#state === 'closed') return Promise.resolve();
    if (this.#state === 'errored') return Promise.reject(this.#storedError);
    this.#queue = []; this.#queueSize = 0;
    this._close();
    try { return Promise.resolve(this.#cancelFn ? call(this.#cancelFn, this.#source, reason) : undefined).then(() => undefined); }
    catch (e) { return Promise.reject(e); }
  }
  _attach(reader) { this.#reader = reader; return this.#state === 'errored' ? ['errored', this.#storedError] : [this.#state]; }
  _detach() { this.#reader = null; }
  cancel(reason) {
    if (this.locked) return Promise.reject(new TypeError('ReadableStream.cancel: the stream is locked'));
    return this._cancel(reason);
  }
  getReader(options = undefined) {
    const mode = membersOf(options, ['mode'], 'getReader: options', ['mode']).mode;
    if (mode !== undefined) {
      const name = String(mode);
      throw new TypeError(name === 'byob' ? 'getReader: BYOB readers are not supported' : `getReader: invalid mode ${name}`);
    }
    return new ReadableStreamDefaultReader(this);
  }
  pipeThrough(transform, options) {
    if (!(this instanceof ReadableStream)) throw new TypeError('pipeThrough: this is not a ReadableStream');
    if (transform === null || (typeof transform !== 'object' && typeof transform !== 'function')) throw new TypeError('pipeThrough: expected { writable, readable }');
    // The standard reads the pair's members in order (readable, then writable), then the options.
    const readable = transform.readable;
    if (!(readable instanceof ReadableStream)) throw new TypeError('pipeThrough: transform.readable is not a ReadableStream');
    const writable = transform.writable;
    if (!(writable instanceof WritableStream)) throw new TypeError('pipeThrough: transform.writable is not a WritableStream');
    const opts = pipeOptions(options);
    if (this.locked) throw new TypeError('pipeThrough: the stream is locked');
    if (writable.locked) throw new TypeError('pipeThrough: the writable side is locked');
    pipe(this, writable, opts).catch(() => {});
    return readable;
  }
  pipeTo(dest, options = undefined) {
    try {
      if (!(this instanceof ReadableStream)) throw new TypeError('pipeTo: this is not a ReadableStream');
      if (!(dest instanceof WritableStream)) throw new TypeError('pipeTo: destination must be a WritableStream');
      const opts = pipeOptions(options);
      if (this.locked) throw new TypeError('pipeTo: the source is locked');
      if (dest.locked) throw new TypeError('pipeTo: the destination is locked');
      return pipe(this, dest, opts);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  // The standard's default tee: one read at a time from the source, each chunk given to both
  // branches (high-water mark 1 each); the source is cancelled once both branches are.
  tee() {
    const reader = new ReadableStreamDefaultReader(this);
    let reading = false, readAgain = false;
    const canceled = [false, false], reasons = [undefined, undefined], ctrls = [null, null];
    const cancelled = deferred();
    const pull = () => {
      if (reading) { readAgain = true; return Promise.resolve(); }
      reading = true;
      reader.read().then((r) => {
        if (r.done) {
          reading = false;
          for (let i = 0; i < 2; i++) if (!canceled[i]) ctrls[i].close();
          if (!canceled[0] || !canceled[1]) cancelled.resolve();
          return;
        }
        readAgain = false;
        for (let i = 0; i < 2; i++) if (!canceled[i]) ctrls[i].enqueue(r.value);
        reading = false;
        if (readAgain) pull();
      }, () => { reading = false; });
      return Promise.resolve();
    };
    const cancelBranch = (i, reason) => {
      canceled[i] = true; reasons[i] = reason;
      if (canceled[1 - i]) cancelled.resolve(this._cancel([reasons[0], reasons[1]]));
      return cancelled.promise;
    };
    const branches = [0, 1].map((i) => new ReadableStream({
      start(c) { ctrls[i] = c; }, pull, cancel: (reason) => cancelBranch(i, reason),
    }));
    // An error of the source errors both branches at once, whether or not one was reading.
    reader.closed.then(undefined, (e) => {
      for (const c of ctrls) c.error(e);
      if (!canceled[0] || !canceled[1]) cancelled.resolve();
    });
    return branches;
  }
  values(options = undefined) {
    const preventCancel = !!membersOf(options, ['preventCancel'], 'values: options', ['preventCancel']).preventCancel;
    const reader = new ReadableStreamDefaultReader(this);
    const it = Object.create(AsyncIteratorPrototypeOfStreams);
    iteratorState.set(it, { reader, preventCancel, finished: false, ongoing: null });
    return it;
  }
}
Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator,
  { value: ReadableStream.prototype.values, writable: true, configurable: true, enumerable: false });

// GetIterator(iterable, async): an async iterator, or a sync one whose values are awaited.
function asyncIteratorOf(iterable) {
  if (iterable === null || iterable === undefined) throw new TypeError('ReadableStream.from: not iterable');
  let method = iterable[Symbol.asyncIterator], sync = false;
  if (method === undefined || method === null) { method = iterable[Symbol.iterator]; sync = true; }
  if (typeof method !== 'function') throw new TypeError('ReadableStream.from: not iterable');
  const iterator = call(method, iterable);
  if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) throw new TypeError('ReadableStream.from: the iterator is not an object');
  const next = iterator.next;
  if (!sync) return { iterator, next: () => { try { return Promise.resolve(call(next, iterator)); } catch (e) { return Promise.reject(e); } } };
  return {
    iterator,
    next: async () => {
      const r = call(next, iterator);
      if (r === null || (typeof r !== 'object' && typeof r !== 'function')) throw new TypeError('ReadableStream.from: next() gave a non-object');
      const done = !!r.done;
      return { done, value: await r.value };
    },
  };
}

// ReadableStream async iterators: next() and return() run one after another (each waits for the
// one before it), a finished iterator releases its reader, and return() cancels unless told not to.
const iteratorState = new WeakMap();
// %AsyncIteratorPrototype%: the prototype of %AsyncGeneratorPrototype%, two steps above a generator's own prototype.
const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})())));
const AsyncIteratorPrototypeOfStreams = Object.create(AsyncIteratorPrototype, {
  next: { writable: true, configurable: true, enumerable: true, value: function next() {
    const st = iteratorState.get(this);
    if (st === undefined) return Promise.reject(new TypeError('next: not a ReadableStream async iterator'));
    const steps = () => {
      if (st.finished) return Promise.resolve({ value: undefined, done: true });
      return st.reader.read().then((r) => {
        if (r.done) { st.finished = true; st.reader.releaseLock(); return { value: undefined, done: true }; }
        return { value: r.value, done: false };
      }, (e) => { st.finished = true; st.reader.releaseLock(); throw e; });
    };
    st.ongoing = st.ongoing ? st.ongoing.then(steps, steps) : steps();
    return st.ongoing;
  } },
  return: { writable: true, configurable: true, enumerable: true, value: function (value) {
    const st = iteratorState.get(this);
    if (st === undefined) return Promise.reject(new TypeError('return: not a ReadableStream async iterator'));
    const steps = () => {
      if (st.finished) return Promise.resolve({ value, done: true });
      st.finished = true;
      if (st.preventCancel) { st.reader.releaseLock(); return Promise.resolve({ value, done: true }); }
      const cancelled = st.reader.cancel(value);
      st.reader.releaseLock();
      return cancelled.then(() => ({ value, done: true }));
    };
    st.ongoing = st.ongoing ? st.ongoing.then(steps, steps) : steps();
    return st.ongoing;
  } },
});

Object.defineProperty(AsyncIteratorPrototypeOfStreams.return, 'name', { value: 'return' });

// pipeTo's options as the IDL layer reads them (in order, each once).
function pipeOptions(options) {
  const o = membersOf(options, ['preventAbort', 'preventCancel', 'preventClose', 'signal'], 'pipeTo: options',
                      ['preventAbort', 'preventCancel', 'preventClose', 'signal']);
  const signal = o.signal;
  if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError('pipeTo: options.signal must be an AbortSignal');
  return { preventAbort: !!o.preventAbort, preventCancel: !!o.preventCancel, preventClose: !!o.preventClose, signal };
}
// The events extension (loaded on first use) keeps AbortController for the prelude's own use.
const newAbortController = () => new (internals.loadExtension('events').AbortController)();
let AbortSignalClass = null;
function isAbortSignal(x) {
  if (AbortSignalClass === null) AbortSignalClass = newAbortController().signal.constructor;
  return x !== null && typeof x === 'object' && x instanceof AbortSignalClass;
}

// Pipes source into dest: a write is started whenever the destination is ready (several may be
// in flight); an error of either side or the signal shuts the pipe down as the standard says
// (abort the destination, cancel the source, unless prevented), after the writes in flight.
async function pipe(source, dest, { preventAbort, preventCancel, preventClose, signal }) {
  const reader = new ReadableStreamDefaultReader(source), writer = new WritableStreamDefaultWriter(dest);
  let aborted = null, wake;
  const abortSeen = new Promise((resolve) => { wake = resolve; });
  const onAbort = () => {
    if (aborted) return;
    aborted = { reason: signal.reason !== undefined ? signal.reason : new DOMException('The operation was aborted.', 'AbortError') };
    wake(aborted);
  };
  if (signal) { if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort); }
  // Tagged so the loop knows which side failed.
  const destFailed = writer.closed.then(() => ({ destError: new TypeError('pipeTo: the destination closed') }), (e) => ({ destError: e }));
  destFailed.catch(() => {});
  let lastWrite = Promise.resolve();
  const firstFailure = async (actions, error) => {
    const results = await Promise.allSettled(actions);
    const failed = results.find((r) => r.status === 'rejected');
    return failed ? failed.reason : error;
  };
  const flushWrites = () => lastWrite.then(() => {}, () => {});
  let outcome = null;
  try {
    if (!aborted && (dest._state() === 'closed' || dest._closing())) {
      const e = new TypeError('pipeTo: the destination is closed');
      outcome = { error: await firstFailure(preventCancel || source._state() !== 'readable' ? [] : [reader.cancel(e)], e) };
      if (source._state() === 'errored') outcome = { error: source._storedError() };
    }
    while (outcome === null) {
      if (aborted) {
        await flushWrites();
        const actions = [];
        if (!preventAbort && dest._state() === 'writable') actions.push(writer.abort(aborted.reason));
        if (!preventCancel && source._state() === 'readable') actions.push(reader.cancel(aborted.reason));
        outcome = { error: await firstFailure(actions, aborted.reason) };
        break;
      }
      let r;
      try {
        r = await Promise.race([reader.read(), abortSeen, destFailed]);
      } catch (e) {
        // The source errored.
        await flushWrites();
        outcome = { error: await firstFailure(preventAbort || dest._state() !== 'writable' ? [] : [writer.abort(e)], e) };
        break;
      }
      if (r === aborted) continue;
      if (r && 'destError' in r) {
        outcome = { error: await firstFailure(preventCancel ? [] : [reader.cancel(r.destError)], r.destError) };
        break;
      }
      if (r.done) {
        await flushWrites();
        const state = dest._state();
        if (!preventClose && (state === 'errored' || state === 'erroring')) { outcome = { error: dest._storedError() }; break; }
        if (!preventClose && !dest._closing() && state !== 'closed') { try { await writer.close(); } catch (e) { outcome = { error: e }; break; } }
        outcome = { done: true };
        break;
      }
      try {
        await Promise.race([writer.ready, destFailed.then((d) => { throw d.destError; })]);
      } catch (e) {
        outcome = { error: await firstFailure(preventCancel ? [] : [reader.cancel(e)], e) };
        break;
      }
      lastWrite = writer.write(r.value);
      lastWrite.catch(() => {});
    }
  } finally {
    if (signal) signal.removeEventListener('abort', onAbort);
    reader.releaseLock(); writer.releaseLock();
  }
  if ('error' in outcome) throw outcome.error;
}

class ReadableStreamDefaultReader {
  #stream; #requests = []; #closed = deferred();
  constructor(stream) {
    if (!(stream instanceof ReadableStream)) throw new TypeError('ReadableStreamDefaultReader: expected a ReadableStream');
    if (stream.locked) throw new TypeError('ReadableStreamDefaultReader: the stream is locked');
    this.#stream = stream;
    const [state, error] = stream._attach(this);
    if (state === 'closed') this.#closed.resolve(); else if (state === 'errored') this.#closed.reject(error);
  }
  get closed() { return this.#closed.promise; }
  _hasReadRequest() { return this.#requests.length > 0; }
  _addReadRequest() { const d = deferred(); this.#requests.push(d); return d.promise; }
  _fulfil(result) { this.#requests.shift().resolve(result); }
  _closed() { for (const r of this.#requests.splice(0)) r.resolve({ value: undefined, done: true }); this.#closed.resolve(); }
  _errored(e) { for (const r of this.#requests.splice(0)) r.reject(e); this.#closed.reject(e); }
  read() {
    if (this.#stream === null) return Promise.reject(new TypeError('read: the reader was released'));
    return this.#stream._read(this);
  }
  cancel(reason) {
    if (this.#stream === null) return Promise.reject(new TypeError('cancel: the reader was released'));
    return this.#stream._cancel(reason);
  }
  releaseLock() {
    if (this.#stream === null) return;
    const e = new TypeError('the reader was released');
    for (const r of this.#requests.splice(0)) r.reject(e);
    this.#closed = rejectKeeping(this.#closed, e);
    this.#stream._detach(); this.#stream = null;
  }
}

// ---- WritableStream -------------------------------------------------------------------
// Only the streams themselves construct their controllers.
const controllerToken = Symbol('controller');
class WritableStreamDefaultController {
  #stream; #signal;
  constructor(stream, token) {
    if (token !== controllerToken || !(stream instanceof WritableStream)) throw new TypeError('Illegal constructor');
    this.#stream = stream;
  }
  error(e) { this.#stream._error(e); }
  get signal() {
    if (this.#signal === undefined) { this.#signal = newAbortController(); this.#stream._onAbort((reason) => this.#signal.abort(reason)); }
    return this.#signal.signal;
  }
}

class WritableStream {
  // state: writable, erroring (an abort or error waits for the write or close in flight), errored, closed.
  #state = 'writable'; #sink; #controller; #hwm; #size; #queue = []; #queueSize = 0; #writing = false;
  #writer = null; #storedError; #started = false; #closeRequest = null; #abortHooks = [];
  #writeFn; #closeFn; #abortFn; #pendingAbort = null; #abortReason; #abortRequested = false;
  constructor(sink = undefined, strategy = undefined) {
    if (sink === null) throw new TypeError('WritableStream: sink must be an object');
    const queuing = strategyOf(strategy);
    const m = membersOf(sink, ['abort', 'close', 'start', 'type', 'write'], 'WritableStream: the underlying sink', ['type']);
    if (m.type !== undefined) throw new RangeError('WritableStream: type must be undefined');
    this.#sink = sink; this.#writeFn = m.write; this.#closeFn = m.close; this.#abortFn = m.abort;
    this.#hwm = hwm(queuing, 1); this.#size = sizeOf(queuing);
    this.#controller = new WritableStreamDefaultController(this, controllerToken);
    let start;
    try { start = m.start ? call(m.start, sink, this.#controller) : undefined; } catch (e) { this._error(e); throw e; }
    Promise.resolve(start).then(() => { this.#started = true; if (this.#state === 'erroring') this._finishErroring(); else this._advance(); },
      (e) => { this.#started = true; this._error(e); if (this.#state === 'erroring') this._finishErroring(); });
  }
  get locked() { return this.#writer !== null; }
  _onAbort(f) { this.#abortHooks.push(f); }
  _state() { return this.#state; }
  _storedError() { return this.#storedError; }
  _closing() { return this.#closeRequest !== null; }
  _desiredSize() {
    if (this.#state === 'errored' || this.#state === 'erroring') return null;
    if (this.#state === 'closed') return 0;
    return this.#hwm - this.#queueSize;
  }
  _write(chunk) {
    let size = 1;
    if (this.#state === 'writable' && !this.#closeRequest) {
      try { size = Number(this.#size(chunk)); } catch (e) { this._error(e); size = 1; }
    }
    if (this.#state === 'errored' || this.#state === 'erroring') return Promise.reject(this.#storedError);
    if (this.#state !== 'writable' || this.#closeRequest) return Promise.reject(new TypeError('write: the stream is closing or closed'));
    if (!(size >= 0) || size === Infinity) {
      const e = new RangeError('chunk size must be a finite non-negative number');
      this._error(e);
      return Promise.reject(e);
    }
    const d = deferred();
    this.#queue.push({ chunk, size, d }); this.#queueSize += size;
    this._advance();
    return d.promise;
  }
  _close() {
    if (this.#state === 'errored') return Promise.reject(new TypeError('close: the stream is errored'));
    if (this.#state === 'erroring') return Promise.reject(this.#storedError);
    if (this.#state !== 'writable' || this.#closeRequest) return Promise.reject(new TypeError('close: the stream is closing or closed'));
    this.#closeRequest = deferred();
    if (this.#writer && this._desiredSize() <= 0) this.#writer._readyIf(true);
    this._advance();
    return this.#closeRequest.promise;
  }
  // Starts the next write or the close: the sink's method runs now, synchronously.
  _advance() {
    if (!this.#started || this.#writing || this.#state !== 'writable') return;
    if (this.#queue.length === 0) {
      if (this.#closeRequest) {
        this.#writing = true;
        let p;
        try { p = this.#closeFn ? call(this.#closeFn, this.#sink) : undefined; } catch (e) { p = Promise.reject(e); }
        Promise.resolve(p).then(() => {
          this.#writing = false;
          if (this.#state === 'erroring') { this.#pendingAbort?.resolve(); this.#pendingAbort = null; this.#storedError = undefined; }
          this.#state = 'closed'; this.#closeRequest.resolve(); if (this.#writer) this.#writer._closed();
        }, (e) => {
          this.#writing = false;
          this.#closeRequest.reject(e);
          if (this.#pendingAbort) { this.#pendingAbort.reject(e); this.#pendingAbort = null; }
          this.#state = 'writable'; this._error(e); this.#closeRequest = null; this._finishErroring();
        });
      }
      return;
    }
    const { chunk, size, d } = this.#queue[0];
    this.#writing = true;
    let p;
    try { p = this.#writeFn ? call(this.#writeFn, this.#sink, chunk, this.#controller) : undefined; } catch (e) { p = Promise.reject(e); }
    Promise.resolve(p).then(() => {
      this.#queue.shift(); this.#queueSize -= size; if (this.#queueSize < 0) this.#queueSize = 0;
      this.#writing = false;
      d.resolve();
      if (this.#state === 'erroring') { this._finishErroring(); return; }
      if (this.#writer && !this.#closeRequest) this.#writer._readyIf(this._desiredSize() > 0);
      this._advance();
    }, (e) => {
      this.#queue.shift(); this.#writing = false;
      d.reject(e);
      if (this.#state === 'writable') this._error(e);
      this._finishErroring();
    });
  }
  // controller.error() or a failing sink: the stream starts erroring (finished once nothing is in flight).
  _error(e) {
    if (this.#state !== 'writable') return;
    this.#state = 'erroring'; this.#storedError = e;
    if (this.#writer) this.#writer._erroring(e);
    if (!this.#writing && this.#started) this._finishErroring();
  }
  _finishErroring() {
    if (this.#state !== 'erroring' || this.#writing || !this.#started) return;
    this.#state = 'errored';
    const e = this.#storedError;
    for (const q of this.#queue.splice(0)) q.d.reject(e);
    this.#queueSize = 0;
    if (this.#closeRequest) { this.#closeRequest.reject(e); }
    if (this.#writer) this.#writer._errored(e);
    const pending = this.#pendingAbort;
    if (!pending) return;
    this.#pendingAbort = null;
    if (!this.#abortRequested) { pending.reject(e); return; }
    let p;
    try { p = this.#abortFn ? call(this.#abortFn, this.#sink, this.#abortReason) : undefined; } catch (x) { p = Promise.reject(x); }
    Promise.resolve(p).then(() => pending.resolve(), (x) => pending.reject(x));
  }
  _abort(reason) {
    if (this.#state === 'closed' || this.#state === 'errored') return Promise.resolve();
    for (const f of this.#abortHooks.splice(0)) f(reason);
    if (this.#state === 'closed' || this.#state === 'errored') return Promise.resolve();
    if (this.#pendingAbort) return this.#pendingAbort.promise;
    const wasErroring = this.#state === 'erroring';
    this.#pendingAbort = deferred();
    if (wasErroring) { this.#abortRequested = false; return this.#pendingAbort.promise; }
    this.#abortRequested = true; this.#abortReason = reason;
    const promise = this.#pendingAbort.promise;
    this._error(reason);
    return promise;
  }
  _attach(w) { this.#writer = w; }
  _detach() { this.#writer = null; }
  abort(reason) { return this.locked ? Promise.reject(new TypeError('abort: the stream is locked')) : this._abort(reason); }
  close() { return this.locked ? Promise.reject(new TypeError('close: the stream is locked')) : this._close(); }
  getWriter() { return new WritableStreamDefaultWriter(this); }
}

class WritableStreamDefaultWriter {
  #stream; #ready = deferred(); #closed = deferred();
  constructor(stream) {
    if (!(stream instanceof WritableStream)) throw new TypeError('WritableStreamDefaultWriter: expected a WritableStream');
    if (stream.locked) throw new TypeError('WritableStreamDefaultWriter: the stream is locked');
    this.#stream = stream; stream._attach(this);
    const state = stream._state();
    if (state === 'closed') { this.#ready.resolve(); this.#closed.resolve(); }
    else if (state === 'errored') { this.#ready.reject(stream._storedError()); this.#closed.reject(stream._storedError()); }
    else if (state === 'erroring') this.#ready.reject(stream._storedError());
    else if (stream._closing() || stream._desiredSize() > 0) this.#ready.resolve();
  }
  get closed() { return this.#closed.promise; }
  get ready() { return this.#ready.promise; }
  get desiredSize() { if (this.#stream === null) throw new TypeError('desiredSize: the writer was released'); return this.#stream._desiredSize(); }
  _readyIf(yes) { if (yes) this.#ready.resolve(); }
  _closed() { this.#closed.resolve(); }
  _erroring(e) { this.#ready = rejectKeeping(this.#ready, e); }
  _errored(e) { this.#ready = rejectKeeping(this.#ready, e); this.#closed = rejectKeeping(this.#closed, e); }
  write(chunk) {
    if (this.#stream === null) return Promise.reject(new TypeError('write: the writer was released'));
    const p = this.#stream._write(chunk);
    if (this.#stream !== null && this.#stream._state() === 'writable' && !this.#stream._closing() && this.#stream._desiredSize() <= 0 && this.#ready.settled) {
      this.#ready = deferred();
    }
    return p;
  }
  close() {
    if (this.#stream === null) return Promise.reject(new TypeError('close: the writer was released'));
    return this.#stream._close();
  }
  abort(reason) { return this.#stream === null ? Promise.reject(new TypeError('abort: the writer was released')) : this.#stream._abort(reason); }
  releaseLock() {
    if (this.#stream === null) return;
    this.#stream._detach(); this.#stream = null;
    const e = new TypeError('the writer was released');
    this.#ready = rejectKeeping(this.#ready, e); this.#closed = rejectKeeping(this.#closed, e);
  }
}

// ---- TransformStream ------------------------------------------------------------------
class TransformStreamDefaultController {
  #t;
  constructor(t) { this.#t = t; }
  get desiredSize() { return this.#t.readable._desiredSize(); }
  enqueue(chunk) { this.#t.enqueue(chunk); }
  error(e) { this.#t.error(e); }
  terminate() { this.#t.terminate(); }
}

// A TransformStream as the standard builds it: the writable side's sink runs transform() when
// the readable side wants chunks (back-pressure), close() runs flush(), and abort() on one side
// or cancel() on the other runs the transformer's cancel() once and errors the other side.
class TransformStream {
  #readable; #writable;
  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    const wq = strategyOf(writableStrategy), rq = strategyOf(readableStrategy);
    const m = membersOf(transformer, ['cancel', 'flush', 'readableType', 'start', 'transform', 'writableType'],
                        'TransformStream: the transformer', ['readableType', 'writableType']);
    if (m.readableType !== undefined) throw new RangeError('TransformStream: readableType must be undefined');
    if (m.writableType !== undefined) throw new RangeError('TransformStream: writableType must be undefined');
    const started = deferred();
    let rc = null, wc = null, backpressure = false, changed = null, finish = null;
    const t = {};
    const setBackpressure = (b) => { if (changed !== null) changed.resolve(); changed = deferred(); backpressure = b; };
    const errorWritable = (e) => { wc.error(e); if (backpressure) setBackpressure(false); };
    t.error = (e) => { rc.error(e); errorWritable(e); };
    t.enqueue = (chunk) => {
      if (!t.readable._canCloseOrEnqueue()) throw new TypeError('TransformStream: the readable side is closed or errored');
      try { rc.enqueue(chunk); } catch (e) { errorWritable(e); throw t.readable._storedError(); }
      const pressured = !(t.readable._desiredSize() > 0);
      if (pressured !== backpressure) setBackpressure(true);
    };
    t.terminate = () => {
      if (t.readable._canCloseOrEnqueue()) rc.close();
      errorWritable(new TypeError('TransformStream: terminated'));
    };
    const controller = new TransformStreamDefaultController(t);
    // flush() or cancel() runs once: `finish` is set before the transformer's method runs, so a
    // cancel() or close() that method causes gets the same promise.
    const settleWith = (run, onOk, onError) => {
      const f = finish = deferred();
      let p;
      try { p = Promise.resolve(run()); } catch (e) { p = Promise.reject(e); }
      p.then(() => onOk(f), (r) => onError(f, r));
      return f.promise;
    };
    const runCancel = (reason) => () => (m.cancel ? call(m.cancel, transformer, reason) : undefined);
    const perform = (chunk) => {
      let p;
      try { p = Promise.resolve(m.transform ? call(m.transform, transformer, chunk, controller) : t.enqueue(chunk)); } catch (e) { p = Promise.reject(e); }
      return p.then(undefined, (r) => { t.error(r); throw r; });
    };
    this.#writable = new WritableStream({
      start(c) { wc = c; return started.promise; },
      write(chunk) {
        if (!backpressure) return perform(chunk);
        return changed.promise.then(() => {
          if (t.writable._state() === 'erroring') throw t.writable._storedError();
          return perform(chunk);
        });
      },
      close() {
        if (finish !== null) return finish.promise;
        return settleWith(() => (m.flush ? call(m.flush, transformer, controller) : undefined), (f) => {
          if (t.readable._state() === 'errored') { f.reject(t.readable._storedError()); return; }
          if (t.readable._canCloseOrEnqueue()) rc.close();
          f.resolve();
        }, (f, r) => { rc.error(r); f.reject(r); });
      },
      abort(reason) {
        if (finish !== null) return finish.promise;
        return settleWith(runCancel(reason), (f) => {
          if (t.readable._state() === 'errored') { f.reject(t.readable._storedError()); return; }
          rc.error(reason); f.resolve();
        }, (f, r) => { rc.error(r); f.reject(r); });
      },
    }, { highWaterMark: hwm(wq, 1), size: wq.size });
    this.#readable = new ReadableStream({
      start(c) { rc = c; return started.promise; },
      pull() { setBackpressure(false); return changed.promise; },
      cancel(reason) {
        if (finish !== null) return finish.promise;
        return settleWith(runCancel(reason), (f) => {
          if (t.writable._state() === 'errored') { f.reject(t.writable._storedError()); return; }
          errorWritable(reason); f.resolve();
        }, (f, r) => { errorWritable(r); f.reject(r); });
      },
    }, { highWaterMark: hwm(rq, 0), size: rq.size });
    t.readable = this.#readable; t.writable = this.#writable;
    setBackpressure(true);
    let start;
    try { start = m.start ? call(m.start, transformer, controller) : undefined; } catch (e) { started.reject(e); throw e; }
    Promise.resolve(start).then(started.resolve, started.reject);
  }
  get readable() { return this.#readable; }
  get writable() { return this.#writable; }
}

class IdentityTransformStream extends TransformStream {
  constructor() { super({}); }
}
class TextEncoderStream extends TransformStream {
  constructor() {
    const encoder = new TextEncoder();
    let pending = '';
    super({
      transform(chunk, c) {
        let s = pending + String(chunk); pending = '';
        const last = s.charCodeAt(s.length - 1);
        if (last >= 0xD800 && last <= 0xDBFF) { pending = s.slice(-1); s = s.slice(0, -1); }
        if (s.length > 0) c.enqueue(encoder.encode(s));
      },
      flush(c) { if (pending) c.enqueue(encoder.encode('\uFFFD')); },
    });
  }
  get encoding() { return 'utf-8'; }
}
class TextDecoderStream extends TransformStream {
  #encoding; #fatal; #ignoreBOM;
  constructor(label = 'utf-8', options = {}) {
    const decoder = new TextDecoder(label, options);
    let carry = new Uint8Array(0);
    // Holds back an incomplete UTF-8 sequence at the end of a chunk for the next one.
    const complete = (bytes) => {
      let end = bytes.length, i = end - 1, back = 0;
      while (i >= 0 && back < 3 && (bytes[i] & 0xC0) === 0x80) { i--; back++; }
      if (i >= 0) {
        const b = bytes[i], need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (need > back + 1) end = i;
      }
      return end;
    };
    let first = true;
    super({
      transform(chunk, c) {
        const input = internals.toU8(chunk, 'TextDecoderStream');
        const bytes = new Uint8Array(carry.length + input.length);
        bytes.set(carry); bytes.set(input, carry.length);
        const end = complete(bytes);
        carry = bytes.slice(end);
        let s = end > 0 ? decoder.decode(bytes.subarray(0, end)) : '';
        if (!first && end > 0 && bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF && !options.ignoreBOM) s = '\uFEFF' + s;
        if (end > 0) first = false;
        if (s.length > 0) c.enqueue(s);
      },
      flush(c) {
        if (carry.length > 0) { if (options.fatal) throw new TypeError('TextDecoderStream: incomplete UTF-8 sequence'); c.enqueue('\uFFFD'); }
      },
    });
    this.#encoding = decoder.encoding; this.#fatal = decoder.fatal; this.#ignoreBOM = decoder.ignoreBOM;
  }
  get encoding() { return this.#encoding; }
  get fatal() { return this.#fatal; }
  get ignoreBOM() { return this.#ignoreBOM; }
}

// The size functions are shared by every instance, named "size", and not constructors.
const countSize = { size() { return 1; } }.size;
const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
function strategyHighWaterMark(init, what) {
  if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') throw new TypeError(`${what}: the argument must be an object`);
  const h = init === undefined || init === null ? undefined : init.highWaterMark;
  if (h === undefined) throw new TypeError(`${what}: highWaterMark is required`);
  return Number(h);
}
class CountQueuingStrategy {
  #hwm;
  constructor(init) { this.#hwm = strategyHighWaterMark(init, 'CountQueuingStrategy'); }
  get highWaterMark() { return this.#hwm; }
  get size() { return countSize; }
}
class ByteLengthQueuingStrategy {
  #hwm;
  constructor(init) { this.#hwm = strategyHighWaterMark(init, 'ByteLengthQueuingStrategy'); }
  get highWaterMark() { return this.#hwm; }
  get size() { return byteLengthSize; }
}

// Reads a whole stream of Uint8Array (or string) chunks into one Uint8Array.
async function collect(stream) {
  const reader = stream.getReader(), parts = [];
  let total = 0;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    const bytes = typeof value === 'string' ? native.encode(value) : internals.toU8(value, 'stream chunk');
    parts.push(bytes); total += bytes.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
// A stream of one chunk (a body that was given as bytes).
function streamOf(bytes) {
  return new ReadableStream({ start(c) { if (bytes.length > 0) c.enqueue(bytes); c.close(); } });
}

internals.ReadableStream = ReadableStream;
internals.collectStream = collect;
internals.streamOf = streamOf;
for (const [k, v] of Object.entries({ ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController,
  WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController, TransformStream,
  TransformStreamDefaultController, IdentityTransformStream, TextEncoderStream, TextDecoderStream,
  CountQueuingStrategy, ByteLengthQueuingStrategy })) define(k, v);
})
