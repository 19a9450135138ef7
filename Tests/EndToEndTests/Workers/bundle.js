// bundle.js: shaped like esbuild's output for a worker: helper vars, regex literals that
// contain quotes, slashes and backticks, division next to them, a template literal with a
// nested template, and the default export as `export { x as default }`.
var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// src/util.js
var QUOTED = /(["'`])(?:\\.|(?!\1).)*\1/g;
var SLASHES = /\/+/g;
function ratio(a, b) {
  return Math.round(a / b * 100) / 100;
}
__name(ratio, "ratio");
var words = /* count words */ (s) => s.split(/\s+/).filter(Boolean).length;

// src/index.js
var worker = {
  async fetch(request) {
    const url = new URL(request.url);
    const text = await request.text();
    const quoted = text.match(QUOTED) || [];
    const path = url.pathname.replace(SLASHES, "/");
    return Response.json({
      quoted, path, ratio: ratio(quoted.length, words(text) || 1),
      label: `path ${`is ${path}`} /not a regex/`,
    });
  }
};
export {
  worker as default
};
