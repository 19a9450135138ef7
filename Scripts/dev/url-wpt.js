// url-wpt.js: runs the URL prelude (url-prelude.js) against the WPT URL data in a bare node vm context.
// Usage: node Scripts/dev/url-wpt.js [path/to/urltestdata.json] [-v]
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "../..");
const source = fs.readFileSync(path.join(root, "Sources/Isolates/Prelude/url-prelude.js"), "utf8");
const dataPath = process.argv.find((a) => a.endsWith(".json")) ||
  path.resolve(root, "../shared/conformance/wpt-url/urltestdata.json");
const verbose = process.argv.includes("-v");

const context = vm.createContext({});
vm.runInContext(source, context);
// The runner is the one the Swift test uses.
vm.runInContext(fs.readFileSync(path.join(root, "Tests/IsolatesTests/JavaScript/url-wpt-runner.js"), "utf8"), context);
const summary = JSON.parse(context.runURLTests(fs.readFileSync(dataPath, "utf8")));
console.log(`http/https: ${summary.httpPassed}/${summary.httpTotal}, all: ${summary.passed}/${summary.total}`);
for (const f of summary.failures) if (verbose || f.http) console.log((f.http ? "[http] " : "") + f.detail);
if (!verbose && summary.failures.length) console.log(`(${summary.failures.length} failures; -v lists all)`);
process.exit(summary.httpPassed === summary.httpTotal ? 0 : 1);
