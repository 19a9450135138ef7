// ext-streams.js: ReadableStream, WritableStream, TransformStream and the text and identity
// transforms (WHATWG Streams, default (non-byte) streams), loaded on the first use of any of them.
// Queues, back-pressure (desiredSize from the strategy's highWaterMark), readers, writers,
// pipeTo/pipeThrough, tee and async iteration.
(function (internals) {
"use strict";
const { define, DOMException, native } = internals;

function sizeOf(strategy) {
  const size = strategy && strategy.size;
  return typeof size === 'function' ? size : () => 1;
}
function hwm(strategy, fallback) {
  const h = strategy && strategy.highWaterMark !== undefined ? Number(strategy.highWaterMark) : fallback;
  if (Number.isNaN(h) || h < 0) throw new RangeError('highWaterMark must be a non-negative number');
  return h;
}
function deferred() {
  let resolve, reject;
  const promise = new Promise((a, b) => { resolve = a; reject = b; });
  promise.catch(() => {});
  return { promise, resolve, reject };
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
  #closeRequested = false; #disturbed = false;
  constructor(source = {}, strategy = {}) {
    if (source === null) throw new TypeError('ReadableStream: source must be an object');
    if (source.type === 'bytes') throw new RangeError('ReadableStream: byte streams (type: "bytes") are not supported');
    this.#source = source; this.#hwm = hwm(strategy, 1); this.#size = sizeOf(strategy);
    this.#controller = new ReadableStreamDefaultController(this);
    let start;
    try { start = source.start ? source.start.call(source, this.#controller) : undefined; } catch (e) { this._error(e); throw e; }
    Promise.resolve(start).then(() => { this.#started = true; this._pullIfNeeded(); }, (e) => this._error(e));
  }
  static from(iterable) {
    const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
    return new ReadableStream({
      async pull(c) { const r = await it.next(); if (r.done) c.close(); else c.enqueue(r.value); },
      async cancel(reason) { if (typeof it.return === 'function') await it.return(reason); },
    }, { highWaterMark: 0 });
  }
  get locked() { return this.#reader !== null; }
  _isDisturbed() { return this.#disturbed; }
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
    if (!wanted || !this.#source.pull) return;
    if (this.#pulling) { this.#pullAgain = true; return; }
    this.#pulling = true;
    let p;
    try { p = this.#source.pull.call(this.#source, this.#controller); } catch (e) { this._error(e); return; }
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
    try { return Promise.resolve(this.#source.cancel ? this.#source.cancel.call(this.#source, reason) : undefined).then(() => undefined); }
    catch (e) { return Promise.reject(e); }
  }
  _attach(reader) { this.#reader = reader; return this.#state === 'errored' ? ['errored', this.#storedError] : [this.#state]; }
  _detach() { this.#reader = null; }
  cancel(reason) {
    if (this.locked) return Promise.reject(new TypeError('ReadableStream.cancel: the stream is locked'));
    return this._cancel(reason);
  }
  getReader(options = {}) {
    if (options && options.mode === 'byob') throw new TypeError('getReader: BYOB readers are not supported');
    return new ReadableStreamDefaultReader(this);
  }
  pipeThrough(transform, options) {
    if (!transform || !(transform.writable instanceof WritableStream) || !(transform.readable instanceof ReadableStream)) throw new TypeError('pipeThrough: expected { writable, readable }');
    if (this.locked) throw new TypeError('pipeThrough: the stream is locked');
    this.pipeTo(transform.writable, options).catch(() => {});
    return transform.readable;
  }
  async pipeTo(dest, options = {}) {
    if (!(dest instanceof WritableStream)) throw new TypeError('pipeTo: destination must be a WritableStream');
    if (this.locked) throw new TypeError('pipeTo: the source is locked');
    if (dest.locked) throw new TypeError('pipeTo: the destination is locked');
    const reader = this.getReader(), writer = dest.getWriter();
    const signal = options.signal;
    let aborted = null;
    const onAbort = () => { aborted = signal.reason !== undefined ? signal.reason : new DOMException('The operation was aborted.', 'AbortError'); reader.cancel(aborted).catch(() => {}); };
    if (signal) { if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort); }
    try {
      while (true) {
        if (aborted) throw aborted;
        const { value, done } = await reader.read();
        if (done) break;
        await writer.ready;
        await writer.write(value);
      }
      if (aborted) throw aborted;
      if (!options.preventClose) await writer.close();
    } catch (e) {
      const error = aborted || e;
      if (!options.preventAbort) await writer.abort(error).catch(() => {});
      if (!options.preventCancel) await reader.cancel(error).catch(() => {});
      throw error;
    } finally {
      if (signal) signal.removeEventListener('abort', onAbort);
      reader.releaseLock(); writer.releaseLock();
    }
  }
  tee() {
    const reader = this.getReader();
    let cancelled = 0, reasons = [];
    const done = deferred();
    const branches = [];
    const pull = async () => {
      const { value, done: end } = await reader.read();
      for (const c of branches) { if (c.live) { if (end) c.ctrl.close(); else c.ctrl.enqueue(value); } }
    };
    for (let i = 0; i < 2; i++) {
      const b = { live: true, ctrl: null };
      branches.push(b);
      b.stream = new ReadableStream({
        start(c) { b.ctrl = c; },
        pull,
        cancel(reason) { b.live = false; reasons[i] = reason; if (++cancelled === 2) reader.cancel(reasons).then(done.resolve, done.reject); return done.promise; },
      }, { highWaterMark: 0 });
    }
    return [branches[0].stream, branches[1].stream];
  }
  values(options = {}) {
    const reader = this.getReader(), preventCancel = !!options.preventCancel;
    return {
      next: () => reader.read(),
      return: async (value) => { if (!preventCancel) await reader.cancel(value); reader.releaseLock(); return { value, done: true }; },
      [Symbol.asyncIterator]() { return this; },
    };
  }
  [Symbol.asyncIterator](options) { return this.values(options); }
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
    this.#closed = deferred(); this.#closed.reject(e);
    this.#stream._detach(); this.#stream = null;
  }
}

// ---- WritableStream -------------------------------------------------------------------
class WritableStreamDefaultController {
  #stream; #signal;
  constructor(stream) { if (!(stream instanceof WritableStream)) throw new TypeError('Illegal constructor'); this.#stream = stream; }
  error(e) { this.#stream._error(e); }
  get signal() {
    if (this.#signal === undefined) { this.#signal = new internals.AbortController(); this.#stream._onAbort(() => this.#signal.abort()); }
    return this.#signal.signal;
  }
}

class WritableStream {
  #state = 'writable'; #sink; #controller; #hwm; #size; #queue = []; #queueSize = 0; #writing = false;
  #writer = null; #storedError; #started = false; #closeRequest = null; #abortHooks = [];
  constructor(sink = {}, strategy = {}) {
    if (sink === null) throw new TypeError('WritableStream: sink must be an object');
    this.#sink = sink; this.#hwm = hwm(strategy, 1); this.#size = sizeOf(strategy);
    this.#controller = new WritableStreamDefaultController(this);
    let start;
    try { start = sink.start ? sink.start.call(sink, this.#controller) : undefined; } catch (e) { this._error(e); throw e; }
    Promise.resolve(start).then(() => { this.#started = true; this._advance(); }, (e) => this._error(e));
  }
  get locked() { return this.#writer !== null; }
  _onAbort(f) { this.#abortHooks.push(f); }
  _state() { return this.#state; }
  _desiredSize() {
    if (this.#state === 'errored' || this.#state === 'erroring') return null;
    if (this.#state === 'closed') return 0;
    return this.#hwm - this.#queueSize;
  }
  _write(chunk) {
    if (this.#state === 'errored') return Promise.reject(this.#storedError);
    if (this.#state !== 'writable' || this.#closeRequest) return Promise.reject(new TypeError('write: the stream is closing or closed'));
    let size;
    try { size = Number(this.#size(chunk)); } catch (e) { this._error(e); return Promise.reject(e); }
    const d = deferred();
    this.#queue.push({ chunk, size, d }); this.#queueSize += size;
    this._advance();
    return d.promise;
  }
  _close() {
    if (this.#state === 'errored') return Promise.reject(this.#storedError);
    if (this.#state !== 'writable' || this.#closeRequest) return Promise.reject(new TypeError('close: the stream is closing or closed'));
    this.#closeRequest = deferred();
    this._advance();
    return this.#closeRequest.promise;
  }
  _advance() {
    if (!this.#started || this.#writing || this.#state !== 'writable') return;
    if (this.#queue.length === 0) {
      if (this.#closeRequest) {
        this.#writing = true;
        Promise.resolve().then(() => this.#sink.close ? this.#sink.close.call(this.#sink) : undefined).then(() => {
          this.#state = 'closed'; this.#closeRequest.resolve(); if (this.#writer) this.#writer._closed();
        }, (e) => { this._error(e); this.#closeRequest.reject(e); });
      }
      return;
    }
    const { chunk, size, d } = this.#queue[0];
    this.#writing = true;
    Promise.resolve().then(() => this.#sink.write ? this.#sink.write.call(this.#sink, chunk, this.#controller) : undefined).then(() => {
      this.#queue.shift(); this.#queueSize -= size; this.#writing = false;
      d.resolve();
      if (this.#writer) this.#writer._readyIf(this._desiredSize() > 0);
      this._advance();
    }, (e) => { d.reject(e); this._error(e); });
  }
  _error(e) {
    if (this.#state === 'errored' || this.#state === 'closed') return;
    this.#state = 'errored'; this.#storedError = e;
    for (const q of this.#queue.splice(0)) q.d.reject(e);
    this.#queueSize = 0;
    if (this.#writer) this.#writer._errored(e);
  }
  _abort(reason) {
    if (this.#state === 'closed' || this.#state === 'errored') return Promise.resolve();
    for (const f of this.#abortHooks) f();
    this._error(reason);
    try { return Promise.resolve(this.#sink.abort ? this.#sink.abort.call(this.#sink, reason) : undefined).then(() => undefined); }
    catch (e) { return Promise.reject(e); }
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
    if (stream._state() === 'closed') { this.#ready.resolve(); this.#closed.resolve(); }
    else if (stream._desiredSize() > 0 || stream._desiredSize() === null) this.#ready.resolve();
  }
  get closed() { return this.#closed.promise; }
  get ready() { return this.#ready.promise; }
  get desiredSize() { if (this.#stream === null) throw new TypeError('desiredSize: the writer was released'); return this.#stream._desiredSize(); }
  _readyIf(yes) { if (yes) this.#ready.resolve(); }
  _closed() { this.#closed.resolve(); }
  _errored(e) { this.#ready = deferred(); this.#ready.reject(e); this.#closed.reject(e); }
  write(chunk) {
    if (this.#stream === null) return Promise.reject(new TypeError('write: the writer was released'));
    const p = this.#stream._write(chunk);
    if (this.#stream._desiredSize() <= 0) { this.#ready = deferred(); }
    return p;
  }
  close() { return this.#stream === null ? Promise.reject(new TypeError('close: the writer was released')) : this.#stream._close(); }
  abort(reason) { return this.#stream === null ? Promise.reject(new TypeError('abort: the writer was released')) : this.#stream._abort(reason); }
  releaseLock() {
    if (this.#stream === null) return;
    this.#stream._detach(); this.#stream = null;
    const e = new TypeError('the writer was released');
    this.#ready = deferred(); this.#ready.reject(e); this.#closed = deferred(); this.#closed.reject(e);
  }
}

// ---- TransformStream ------------------------------------------------------------------
class TransformStreamDefaultController {
  #readable;
  constructor(readableController, terminate) { this.#readable = readableController; this._terminate = terminate; }
  get desiredSize() { return this.#readable.desiredSize; }
  enqueue(chunk) { this.#readable.enqueue(chunk); }
  error(e) { this.#readable.error(e); }
  terminate() { this._terminate(); }
}

class TransformStream {
  #readable; #writable;
  constructor(transformer = {}, writableStrategy = {}, readableStrategy = { highWaterMark: 0 }) {
    let rc = null, controller = null;
    const started = deferred();
    // Back-pressure: a write waits while the readable side has no demand (nothing read since
    // its last chunk and its queue full); demand lasts until the transform enqueues a chunk.
    let demand = false, waiting = null;
    this.#readable = new ReadableStream({
      start(c) { rc = c; },
      pull() { demand = true; if (waiting !== null) { const w = waiting; waiting = null; w.resolve(); } },
      cancel(reason) { if (transformer.cancel) return transformer.cancel(reason); },
    }, readableStrategy);
    const readableController = { get desiredSize() { return rc.desiredSize; }, enqueue(chunk) { demand = false; rc.enqueue(chunk); },
      error(e) { rc.error(e); } };
    controller = new TransformStreamDefaultController(readableController, () => { try { rc.close(); } catch (e) { /* already closed */ } });
    const transform = transformer.transform ? (chunk) => transformer.transform.call(transformer, chunk, controller)
                                            : (chunk) => controller.enqueue(chunk);
    this.#writable = new WritableStream({
      start() { return started.promise; },
      async write(chunk) {
        if (!demand && rc.desiredSize <= 0) { waiting = deferred(); await waiting.promise; }
        await transform(chunk);
      },
      async close() {
        if (transformer.flush) await transformer.flush.call(transformer, controller);
        try { rc.close(); } catch (e) { /* terminated already */ }
      },
      abort(reason) { rc.error(reason); },
    }, writableStrategy);
    Promise.resolve(transformer.start ? transformer.start.call(transformer, controller) : undefined).then(started.resolve, started.reject);
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

class CountQueuingStrategy {
  #hwm;
  constructor(init) { this.#hwm = Number(init.highWaterMark); }
  get highWaterMark() { return this.#hwm; }
  get size() { return () => 1; }
}
class ByteLengthQueuingStrategy {
  #hwm;
  constructor(init) { this.#hwm = Number(init.highWaterMark); }
  get highWaterMark() { return this.#hwm; }
  get size() { return (chunk) => chunk.byteLength; }
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
