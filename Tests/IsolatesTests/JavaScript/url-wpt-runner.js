// url-wpt-runner.js: runs the WPT URL data against URL/URLSearchParams; used by URLConformanceTests
// (in JavaScriptCore) and Scripts/dev/url-wpt.js (in node).
globalThis.runURLTests = function (jsonText) {
  const data = JSON.parse(jsonText);
  const schemeOf = (s) => {
    if (s === null || s === undefined) return "";
    s = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
    return m ? m[1].toLowerCase() : "";
  };
  const isHTTP = (s) => { const k = schemeOf(s); return k === "http" || k === "https"; };
  const fields = ["href", "protocol", "username", "password", "host", "hostname", "port",
                  "pathname", "search", "hash", "origin"];
  const summary = { total: 0, passed: 0, httpTotal: 0, httpPassed: 0, failures: [] };
  for (const t of data) {
    if (typeof t !== "object" || t === null) continue;
    const http = isHTTP(t.input) || isHTTP(t.base);
    summary.total++;
    if (http) summary.httpTotal++;
    const name = JSON.stringify(t.input) + (t.base === null ? "" : " against " + JSON.stringify(t.base));
    let problem = null;
    let url = null;
    try {
      url = t.base === null ? new URL(t.input) : new URL(t.input, t.base);
    } catch (e) {
      if (!t.failure) problem = "threw " + e;
      else if (!(e instanceof TypeError)) problem = "threw a non-TypeError: " + e;
    }
    if (url !== null) {
      if (t.failure) {
        problem = "parsed as " + url.href + " but should fail";
      } else {
        const wrong = [];
        for (const f of fields) {
          if (f in t && url[f] !== t[f]) wrong.push(f + ": got " + JSON.stringify(url[f]) + " want " + JSON.stringify(t[f]));
        }
        if ("searchParams" in t && url.searchParams.toString() !== t.searchParams) {
          wrong.push("searchParams: got " + JSON.stringify(url.searchParams.toString()));
        }
        if (wrong.length) problem = wrong.join("; ");
      }
    }
    const canParse = t.base === null ? URL.canParse(t.input) : URL.canParse(t.input, t.base);
    if (problem === null && canParse === !!t.failure) problem = "URL.canParse disagrees with the constructor";
    if (problem === null) {
      summary.passed++;
      if (http) summary.httpPassed++;
    } else {
      summary.failures.push({ http: http, detail: name + ": " + problem });
    }
  }
  return JSON.stringify(summary);
};
