// url-wpt.js: runs URLPrelude's JavaScript against the WPT URL data in a bare node vm context.
// Usage: node Scripts/dev/url-wpt.js [path/to/urltestdata.json] [-v]
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "../..");
const swift = fs.readFileSync(path.join(root, "Sources/Isolates/Prelude/URLPrelude.swift"), "utf8");
const start = swift.indexOf('#"""\n') + 5;
const end = swift.lastIndexOf('"""#');
const source = swift.slice(start, end);
const dataPath = process.argv.find((a) => a.endsWith(".json")) ||
  path.resolve(root, "../shared/conformance/wpt-url/urltestdata.json");
const verbose = process.argv.includes("-v");

const context = vm.createContext({});
vm.runInContext(source, context);
// The runner is the one the Swift test uses, read out of its raw string literal.
const test = fs.readFileSync(path.join(root, "Tests/IsolatesTests/URLConformanceTests.swift"), "utf8");
const runnerStart = test.indexOf('wptRunnerSource = #"""\n') + 'wptRunnerSource = #"""\n'.length;
vm.runInContext(test.slice(runnerStart, test.indexOf('"""#', runnerStart)), context);
const summary = JSON.parse(context.runURLTests(fs.readFileSync(dataPath, "utf8")));
console.log(`http/https: ${summary.httpPassed}/${summary.httpTotal}, all: ${summary.passed}/${summary.total}`);
for (const f of summary.failures) if (verbose || f.http) console.log((f.http ? "[http] " : "") + f.detail);
if (!verbose && summary.failures.length) console.log(`(${summary.failures.length} failures; -v lists all)`);
process.exit(summary.httpPassed === summary.httpTotal ? 0 : 1);
