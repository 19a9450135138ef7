// AsyncTenants: tenant scripts whose handlers await real work (timers, subrequests), written to
// a temporary folder of their own.
import Foundation

enum AsyncTenants {
    static let scripts: [String: String] = [
        // Sleeps ?ms= milliseconds on a timer, then answers how long it waited.
        "sleeper": """
        export default {
          async fetch(request) {
            const ms = Number(new URL(request.url).searchParams.get("ms") || 200);
            const t0 = Date.now();
            await new Promise(r => setTimeout(r, ms));
            return new Response(`slept ${Date.now() - t0}\\n`);
          }
        };
        """,
        // Keeps an interval running and never settles: only --request-timeout-ms answers it.
        "hanger": """
        export default {
          fetch(request) {
            const id = setInterval(() => {}, 20);
            return new Promise(() => {});
          }
        };
        """,
        // An interval that ticks three times, then settles.
        "ticker": """
        export default {
          fetch(request) {
            return new Promise(resolve => {
              let n = 0;
              const id = setInterval(() => { if (++n === 3) { clearInterval(id); resolve(new Response(`ticks ${n}\\n`)); } }, 10);
            });
          }
        };
        """,
        // A cleared timer never fires; with nothing else outstanding the handler cannot settle.
        "cleared": """
        export default {
          fetch(request) {
            return new Promise(resolve => { const id = setTimeout(() => resolve(new Response("fired")), 50); clearTimeout(id); });
          }
        };
        """,
        "hello": """
        export default { fetch() { return new Response("hello\\n"); } };
        """,
    ]

    static let folder: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-async-\(getpid())-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, source) in scripts {
            try! source.write(to: dir.appendingPathComponent("\(name).js"), atomically: true, encoding: .utf8)
        }
        return dir.path
    }()
}
