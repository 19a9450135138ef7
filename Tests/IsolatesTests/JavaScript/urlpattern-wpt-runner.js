// urlpattern-wpt-runner.js: checks URLPattern against the WPT urlpattern data (an array of
// { pattern, inputs, expected_obj, expected_match, exactly_empty_components, expected_inputs })
// and returns { passed, total, failures }. Used by URLPatternConformanceTests (in a tenant)
// and runnable under node with Scripts-free harnesses.
globalThis.runURLPatternTests = function (entries) {
  const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
  const failures = [];
  let passed = 0;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const groupsOf = (g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v === undefined ? null : v]));
  entries.forEach((entry, index) => {
    const label = `#${index} ${JSON.stringify(entry.pattern)} ${JSON.stringify(entry.inputs || [])}`;
    const problems = [];
    let pattern = null;
    try {
      pattern = new URLPattern(...entry.pattern);
      if (entry.expected_obj === "error") problems.push("constructed, expected a TypeError");
    } catch (e) {
      if (entry.expected_obj !== "error") problems.push(`constructor threw ${e.name}: ${e.message}`);
      else if (!(e instanceof TypeError)) problems.push(`threw ${e.name}, expected TypeError`);
    }
    if (pattern && entry.expected_obj && entry.expected_obj !== "error") {
      for (const [k, v] of Object.entries(entry.expected_obj)) if (pattern[k] !== v) problems.push(`${k} is ${JSON.stringify(pattern[k])}, expected ${JSON.stringify(v)}`);
    }
    // Entries without inputs check construction only.
    if (pattern && entry.expected_match !== undefined && entry.inputs !== undefined) {
      let result, threw = null;
      try { result = pattern.exec(...entry.inputs); } catch (e) { threw = e; }
      if (entry.expected_match === "error") {
        if (!threw) problems.push("exec did not throw");
      } else if (threw) {
        problems.push(`exec threw ${threw.name}: ${threw.message}`);
      } else if (entry.expected_match === null) {
        if (result !== null) problems.push("matched, expected no match");
        if (pattern.test(...entry.inputs)) problems.push("test() is true, expected false");
      } else if (result === null) {
        problems.push("no match, expected a match");
      } else {
        if (!pattern.test(...entry.inputs)) problems.push("test() is false, expected true");
        const inputs = entry.expected_match.inputs || entry.expected_inputs || entry.inputs;
        if (!same(result.inputs, inputs)) problems.push(`inputs ${JSON.stringify(result.inputs)}, expected ${JSON.stringify(inputs)}`);
        for (const k of COMPONENTS) {
          let expected = entry.expected_match[k];
          if (expected === undefined) {
            const empty = (entry.exactly_empty_components || []).includes(k);
            expected = { input: "", groups: empty ? {} : { "0": "" } };
          }
          const got = { input: result[k].input, groups: groupsOf(result[k].groups) };
          if (!same(got, { input: expected.input, groups: expected.groups })) problems.push(`${k}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
        }
      }
    }
    if (problems.length === 0) passed++; else failures.push(label + ": " + problems.join("; "));
  });
  return { passed, total: entries.length, failures };
};
