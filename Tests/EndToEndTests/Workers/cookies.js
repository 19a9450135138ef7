// cookies.js: parses the Cookie header (RFC 6265 section 5.4) and sets cookies back.
function parseCookies(header) {
  const out = {};
  for (const part of (header || "").split(/;\s*/)) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try { value = decodeURIComponent(value); } catch { /* keep it raw */ }
    out[part.slice(0, eq).trim()] = value;
  }
  return out;
}
export default {
  fetch(request) {
    const cookies = parseCookies(request.headers.get("cookie"));
    const visits = Number(cookies.visits || 0) + 1;
    const headers = new Headers({ "content-type": "application/json" });
    headers.append("set-cookie", `visits=${visits}; Path=/; HttpOnly; SameSite=Lax`);
    headers.append("set-cookie", `seen=${encodeURIComponent(cookies.name || "nobody")}; Path=/`);
    return new Response(JSON.stringify({ cookies, visits }), { headers });
  },
};
