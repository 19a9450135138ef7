// ext-events.js: Event, EventTarget, AbortController and AbortSignal (DOM Standard), loaded on
// the first use of any of them (or of request.signal). AbortSignal.timeout(ms) runs on the
// timers: the loop's clock when serving (virtual time when the runtime is called directly).
(function (internals) {
"use strict";
const { define, DOMException } = internals;

class Event {
  #type; #target = null; #defaultPrevented = false; #stop = false;
  constructor(type, init = {}) {
    if (arguments.length === 0) throw new TypeError('Event: type is required');
    this.#type = String(type);
    this.bubbles = !!init.bubbles; this.cancelable = !!init.cancelable; this.composed = !!init.composed;
    this.timeStamp = Date.now();
  }
  get type() { return this.#type; }
  get target() { return this.#target; }
  get currentTarget() { return this.#target; }
  get defaultPrevented() { return this.#defaultPrevented; }
  preventDefault() { if (this.cancelable) this.#defaultPrevented = true; }
  stopPropagation() {}
  stopImmediatePropagation() { this.#stop = true; }
  static _dispatching(e, target) { e.#target = target; e.#stop = false; }
  static _stopped(e) { return e.#stop; }
}

class EventTarget {
  #listeners = new Map();
  addEventListener(type, listener, options = {}) {
    if (listener == null) return;
    if (typeof options === 'boolean') options = { capture: options };
    if (options.signal && options.signal.aborted) return;
    const list = this.#listeners.get(type) || [];
    if (list.some((l) => l.listener === listener)) return;
    const entry = { listener, once: !!options.once };
    list.push(entry);
    this.#listeners.set(type, list);
    if (options.signal) options.signal.addEventListener('abort', () => this.removeEventListener(type, listener));
  }
  removeEventListener(type, listener) {
    const list = this.#listeners.get(type);
    if (!list) return;
    const i = list.findIndex((l) => l.listener === listener);
    if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
  }
  dispatchEvent(event) {
    if (!(event instanceof Event)) throw new TypeError('dispatchEvent: argument is not an Event');
    Event._dispatching(event, this);
    const handler = this['on' + event.type];
    const list = (this.#listeners.get(event.type) || []).slice();
    if (typeof handler === 'function') list.unshift({ listener: handler, once: false });
    for (const l of list) {
      if (l.removed) continue;
      if (l.once) this.removeEventListener(event.type, l.listener);
      try {
        if (typeof l.listener === 'function') l.listener.call(this, event); else l.listener.handleEvent(event);
      } catch (e) { internals.native.log(4, 'Uncaught (in event listener) ' + (e && e.stack ? `${e.name}: ${e.message}` : String(e))); }
      if (Event._stopped(event)) break;
    }
    return !event.defaultPrevented;
  }
}

const CREATE = Symbol('create');
class AbortSignal extends EventTarget {
  #aborted = false; #reason = undefined;
  constructor(key) { super(); if (key !== CREATE) throw new TypeError('Illegal constructor'); this.onabort = null; }
  get aborted() { return this.#aborted; }
  get reason() { return this.#reason; }
  throwIfAborted() { if (this.#aborted) throw this.#reason; }
  static _abort(signal, reason) {
    if (signal.#aborted) return;
    signal.#aborted = true;
    signal.#reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    signal.dispatchEvent(new Event('abort'));
  }
  static abort(reason) { const s = new AbortSignal(CREATE); AbortSignal._abort(s, reason); return s; }
  static timeout(ms) {
    ms = Number(ms);
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError('AbortSignal.timeout: delay must be a non-negative number');
    const s = new AbortSignal(CREATE);
    internals.setTimeout(() => AbortSignal._abort(s, new DOMException('The operation timed out.', 'TimeoutError')), ms);
    return s;
  }
  static any(signals) {
    const s = new AbortSignal(CREATE);
    for (const x of signals) {
      if (x.aborted) { AbortSignal._abort(s, x.reason); return s; }
    }
    for (const x of signals) x.addEventListener('abort', () => AbortSignal._abort(s, x.reason), { once: true });
    return s;
  }
}
class AbortController {
  #signal = new AbortSignal(CREATE);
  get signal() { return this.#signal; }
  abort(reason) { AbortSignal._abort(this.#signal, reason); }
}
internals.AbortController = AbortController;
for (const [k, v] of Object.entries({ Event, EventTarget, AbortController, AbortSignal })) define(k, v);
// For the prelude's own use (request.signal), whatever a tenant later assigns to the globals.
internals.AbortController = AbortController;
})
