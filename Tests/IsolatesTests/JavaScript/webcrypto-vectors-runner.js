// webcrypto-vectors-runner.js: a tenant that checks crypto.subtle against the WPT
// WebCryptoAPI vectors POSTed to it ({ hmac, eddsa } of WPT/webcrypto-sign-verify-vectors.json,
// { aesCbc } of WPT/webcrypto-aes-cbc-vectors.json):
// for each vector, known-answer signing, verification, tampered data and signatures, and key
// export/import round trips. Answers { algorithm: { passed, failed, failures } }.
const fromHex = (h) => new Uint8Array(h.match(/../g).map((b) => parseInt(b, 16)));
const same = (a, b) => { a = new Uint8Array(a); b = new Uint8Array(b); return a.length === b.length && a.every((x, i) => x === b[i]); };
const flipped = (u8, i = 0) => { const c = u8.slice(); c[i] ^= 1; return c; };

export default {
  async fetch(request) {
    const vectors = await request.json();
    const s = crypto.subtle, results = {};
    async function check(alg, name, fn) {
      const r = results[alg] ??= { passed: 0, failed: 0, failures: [] };
      try {
        if (await fn()) { r.passed++; return; }
        r.failures.push(name + ": wrong result");
      } catch (e) { r.failures.push(`${name}: ${e.name}: ${e.message}`); }
      r.failed++;
    }
    for (const v of vectors.hmac || []) {
      const alg = { name: "HMAC", hash: v.hash }, data = fromHex(v.data), sig = fromHex(v.signature);
      const key = () => s.importKey("raw", fromHex(v.key), alg, true, ["sign", "verify"]);
      await check("HMAC", `${v.name} sign`, async () => same(await s.sign("HMAC", await key(), data), sig));
      await check("HMAC", `${v.name} verify`, async () => await s.verify("HMAC", await key(), sig, data));
      await check("HMAC", `${v.name} verify altered data`, async () => !(await s.verify("HMAC", await key(), sig, flipped(data))));
      await check("HMAC", `${v.name} verify altered signature`, async () => !(await s.verify("HMAC", await key(), flipped(sig, sig.length - 1), data)));
      await check("HMAC", `${v.name} verify short signature`, async () => !(await s.verify("HMAC", await key(), sig.slice(1), data)));
      await check("HMAC", `${v.name} export raw`, async () => same(await s.exportKey("raw", await key()), fromHex(v.key)));
      await check("HMAC", `${v.name} jwk round trip`, async () => {
        const back = await s.importKey("jwk", await s.exportKey("jwk", await key()), alg, false, ["sign"]);
        return same(await s.sign("HMAC", back, data), sig);
      });
      await check("HMAC", `${v.name} verify with a sign-only key refused`, async () => {
        const signOnly = await s.importKey("raw", fromHex(v.key), alg, false, ["sign"]);
        try { await s.verify("HMAC", signOnly, sig, data); return false; } catch (e) { return e.name === "InvalidAccessError"; }
      });
    }
    for (const v of vectors.eddsa || []) {
      const a = v.algorithm, data = fromHex(v.data), sig = fromHex(v.signature);
      const pub = () => s.importKey("spki", fromHex(v.spki), a, true, ["verify"]);
      const priv = () => s.importKey("pkcs8", fromHex(v.pkcs8), a, true, ["sign"]);
      await check(a, `${v.name} verify`, async () => await s.verify(a, await pub(), sig, data));
      await check(a, `${v.name} sign`, async () => same(await s.sign(a, await priv(), data), sig));
      await check(a, `${v.name} verify altered data`, async () => !(await s.verify(a, await pub(), sig, flipped(data))));
      await check(a, `${v.name} verify altered signature`, async () => !(await s.verify(a, await pub(), flipped(sig), data)));
      await check(a, `${v.name} spki round trip`, async () => same(await s.exportKey("spki", await pub()), fromHex(v.spki)));
      await check(a, `${v.name} pkcs8 round trip`, async () => same(await s.exportKey("pkcs8", await priv()), fromHex(v.pkcs8)));
      await check(a, `${v.name} jwk round trip`, async () => {
        const back = await s.importKey("jwk", await s.exportKey("jwk", await priv()), a, false, ["sign"]);
        return same(await s.sign(a, back, data), sig);
      });
    }
    const rejectsWith = async (name, p) => { try { await p; return false; } catch (e) { return e.name === name; } };
    const cbc = vectors.aesCbc || { passing: [], failing: [], decryptionFailing: [] };
    const cbcKey = (hex, usages = ["encrypt", "decrypt"]) => s.importKey("raw", fromHex(hex), "AES-CBC", false, usages);
    for (const v of cbc.passing) {
      const alg = { name: "AES-CBC", iv: fromHex(v.iv) };
      await check("AES-CBC", `${v.name} encrypt`, async () => same(await s.encrypt(alg, await cbcKey(v.key), fromHex(v.plaintext)), fromHex(v.result)));
      await check("AES-CBC", `${v.name} decrypt`, async () => same(await s.decrypt(alg, await cbcKey(v.key), fromHex(v.result)), fromHex(v.plaintext)));
      await check("AES-CBC", `${v.name} encrypt without the usage`, () => rejectsWith("InvalidAccessError", (async () => s.encrypt(alg, await cbcKey(v.key, ["decrypt"]), fromHex(v.plaintext)))()));
      await check("AES-CBC", `${v.name} decrypt without the usage`, () => rejectsWith("InvalidAccessError", (async () => s.decrypt(alg, await cbcKey(v.key, ["encrypt"]), fromHex(v.result)))()));
    }
    for (const v of cbc.failing) {
      const alg = { name: "AES-CBC", iv: fromHex(v.iv) };
      await check("AES-CBC", `${v.name} encrypt`, () => rejectsWith("OperationError", (async () => s.encrypt(alg, await cbcKey(v.key), fromHex(v.plaintext)))()));
    }
    for (const v of cbc.decryptionFailing) {
      const alg = { name: "AES-CBC", iv: fromHex(v.iv) };
      await check("AES-CBC", `${v.name} decrypt`, () => rejectsWith("OperationError", (async () => s.decrypt(alg, await cbcKey(v.key), fromHex(v.result)))()));
    }
    return Response.json(results);
  },
};
