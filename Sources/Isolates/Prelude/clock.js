// clock.js: Date and performance.now as on Workers (see Isolate+Clock.swift): called with a
// native function that returns the request's clock in whole milliseconds.
(function (clock) {
  "use strict";
  const RealDate = globalThis.Date;
  const origin = clock();
  function Date(...args) {
    if (new.target === undefined) return new RealDate(clock()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [clock()] : args, new.target);
  }
  Object.setPrototypeOf(Date, RealDate);
  Date.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, "constructor", { value: Date, writable: true, configurable: true });
  Object.defineProperty(Date, "now", { value: function now() { return clock(); }, writable: true, configurable: true });
  Object.defineProperty(globalThis, "Date", { value: Date, writable: true, configurable: true });
  const performance = {
    now() { return clock() - origin; },
    get timeOrigin() { return origin; },
  };
  Object.defineProperty(globalThis, "performance", { value: performance, writable: true, configurable: true });
})
