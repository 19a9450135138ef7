// timeout.js: a slow upstream raced against AbortSignal.timeout: the signal's TimeoutError wins.
function slowUpstream(signal) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve("upstream answered"), 10_000);
    signal.addEventListener("abort", () => { clearTimeout(t); reject(signal.reason); }, { once: true });
  });
}
export default {
  async fetch(request) {
    const ms = Number(new URL(request.url).searchParams.get("ms") || 50);
    try {
      return new Response(await slowUpstream(AbortSignal.timeout(ms)));
    } catch (e) {
      return new Response(`${e.name}: ${e.message}\n`, { status: e.name === "TimeoutError" ? 504 : 500 });
    }
  },
};
