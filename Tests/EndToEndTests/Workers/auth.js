// auth.js: HTTP Basic authentication (RFC 7617) compared with crypto.subtle.timingSafeEqual,
// as Cloudflare's documented example does.
const USER = "admin", PASS = "s3cret";
const enc = new TextEncoder();
function equal(a, b) {
  const x = enc.encode(a), y = enc.encode(b);
  // timingSafeEqual needs equal lengths: compare against itself to spend the same time.
  return x.byteLength === y.byteLength ? crypto.subtle.timingSafeEqual(x, y) : !crypto.subtle.timingSafeEqual(x, x);
}
export default {
  async fetch(request) {
    const header = request.headers.get("authorization") || "";
    const [scheme, encoded] = header.split(" ");
    if (scheme === "Basic" && encoded) {
      const decoded = atob(encoded);
      const colon = decoded.indexOf(":");
      if (colon > 0 && equal(decoded.slice(0, colon), USER) && equal(decoded.slice(colon + 1), PASS)) {
        return new Response("welcome\n");
      }
    }
    return new Response("login required\n", { status: 401, headers: { "www-authenticate": 'Basic realm="test", charset="UTF-8"' } });
  },
};
