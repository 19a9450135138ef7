'use strict';
// recording-streams.js: written for Isoring (the WPT resource of this name is not part of the
// copy these tests were taken from). Streams whose underlying source, sink or transformer
// record each call in `events` (a flat list: name, then argument) before running the optional
// callback of the same name from `extras`; `controller` is the one start() was given.

self.recordingReadableStream = (extras = {}, strategy) => {
  const source = {
    start(controller) {
      source.controller = controller;
      return extras.start ? extras.start(controller) : undefined;
    },
    pull(controller) {
      stream.events.push('pull');
      return extras.pull ? extras.pull(controller) : undefined;
    },
    cancel(reason) {
      stream.events.push('cancel', reason);
      stream.eventsWithoutPulls.push('cancel', reason);
      return extras.cancel ? extras.cancel(reason) : undefined;
    }
  };
  if (extras.type !== undefined) source.type = extras.type;
  const stream = new ReadableStream(source, strategy);
  stream.controller = source.controller;
  stream.events = [];
  stream.eventsWithoutPulls = [];
  return stream;
};

self.recordingWritableStream = (extras = {}, strategy) => {
  let startController;
  const stream = new WritableStream({
    start(controller) {
      startController = controller;
      return extras.start ? extras.start(controller) : undefined;
    },
    write(chunk, controller) {
      stream.events.push('write', chunk);
      return extras.write ? extras.write(chunk, controller) : undefined;
    },
    close() {
      stream.events.push('close');
      return extras.close ? extras.close() : undefined;
    },
    abort(reason) {
      stream.events.push('abort', reason);
      return extras.abort ? extras.abort(reason) : undefined;
    }
  }, strategy);
  stream.controller = startController;
  stream.events = [];
  return stream;
};

self.recordingTransformStream = (extras = {}, writableStrategy, readableStrategy) => {
  let startController;
  const stream = new TransformStream({
    start(controller) {
      startController = controller;
      return extras.start ? extras.start(controller) : undefined;
    },
    transform(chunk, controller) {
      stream.events.push('transform', chunk);
      if (extras.transform) return extras.transform(chunk, controller);
      controller.enqueue(chunk);
      return undefined;
    },
    flush(controller) {
      stream.events.push('flush');
      return extras.flush ? extras.flush(controller) : undefined;
    }
  }, writableStrategy, readableStrategy);
  stream.controller = startController;
  stream.events = [];
  return stream;
};
