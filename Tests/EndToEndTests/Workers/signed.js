// signed.js: HMAC-SHA256 request signing: the body must come with X-Signature, the hex HMAC of
// the body under the shared secret; verified with crypto.subtle.verify.
const SECRET = "key";
let keyPromise = null;
const key = () => keyPromise ??= crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const fromHex = (h) => new Uint8Array((h.match(/[0-9a-f]{2}/gi) || []).map((b) => parseInt(b, 16)));
export default {
  async fetch(request) {
    const body = await request.arrayBuffer();
    const signature = fromHex(request.headers.get("x-signature") || "");
    const ok = await crypto.subtle.verify("HMAC", await key(), signature, body);
    if (!ok) return new Response("bad signature\n", { status: 401 });
    const mine = new Uint8Array(await crypto.subtle.sign("HMAC", await key(), new TextEncoder().encode("reply")));
    return new Response("verified\n", { headers: { "x-reply-signature": [...mine].map((b) => b.toString(16).padStart(2, "0")).join("") } });
  },
};
