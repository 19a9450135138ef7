// RepeatedValuesTests: strings that repeat between requests cross to JavaScript once (issue 13);
// each request and response must still see and send exactly its own values.
import Foundation
import Testing
@testable import Isolates

/// Echoes what the handler saw; answers with headers and a body chosen by the query, so a
/// sequence of requests can repeat or change each part of the response.
private let echoTenant = """
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const headers = {};
    for (const [k, v] of request.headers) headers[k] = v;
    const seen = JSON.stringify({ method: request.method, url: request.url, headers });
    const h = url.searchParams.get('h');
    const b = url.searchParams.get('b');
    const init = { headers: h === null ? {} : { 'x-h': h } };
    if (url.searchParams.has('cookies')) {
      const r = new Response(b ?? seen, init);
      r.headers.append('set-cookie', 'a=1'); r.headers.append('set-cookie', 'b=2');
      return r;
    }
    if (url.searchParams.has('stream')) {
      const bytes = new TextEncoder().encode(b ?? seen);
      return new Response(new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } }), init);
    }
    return new Response(b ?? seen, init);
  },
};
"""

@Test func requestValuesFollowEveryRequestWhetherTheyRepeatOrNot() throws {
    let f = try Fixture(["e": echoTenant])
    // Each row: method, target, host, extra header; repeats and changes in every position.
    let rows: [(String, String, String?, [(String, String)])] = [
        ("GET", "/e/a", "127.0.0.1:8080", [("X-A", "1")]),
        ("GET", "/e/a", "127.0.0.1:8080", [("X-A", "1")]),
        ("POST", "/e/a", "127.0.0.1:8080", [("X-A", "1")]),
        ("GET", "/e/b", "127.0.0.1:8080", [("X-A", "1")]),
        ("GET", "/e/b", "e.localhost", [("X-A", "1")]),
        ("GET", "/e/b", "e.localhost", [("X-A", "2")]),
        ("get", "/e/b", "e.localhost", [("X-A", "2")]),
        ("PURGE", "/e/b", "e.localhost", [("X-A", "2")]),
        ("GET", "http://e.localhost/e/c", "e.localhost", []),
        ("GET", "/e/c", nil, []),
        ("GET", "/e/a", "127.0.0.1:8080", [("X-A", "1")]),
    ]
    for (method, target, host, extra) in rows {
        var headers = extra
        if let host { headers.insert(("Host", host), at: 0) }
        let r = f.send(raw: method, target, headers: headers, body: [], keepAlive: true)
        #expect(r.status == 200, "\(method) \(target): \(f.logs.lines)")
        let j = r.json()
        #expect(j["method"] as? String == method)
        let expectedURL = target.hasPrefix("http://") ? target : "http://\(host ?? "localhost")\(target)"
        #expect(j["url"] as? String == expectedURL)
        let seen = j["headers"] as? [String: String] ?? [:]
        #expect(seen["x-a"] == extra.first?.1, "\(method) \(target)")
        #expect(seen["host"] == host)
    }
}

@Test func responseValuesFollowEveryResponseWhetherTheyRepeatOrNot() throws {
    let f = try Fixture(["e": echoTenant])
    // Each row: query, expected x-h header, expected body, expected set-cookie values.
    let rows: [(String, String?, String, [String])] = [
        ("?h=1&b=one", "1", "one", []),
        ("?h=1&b=one", "1", "one", []),
        ("?h=1&b=two", "1", "two", []),
        ("?h=2&b=two", "2", "two", []),
        ("?b=two", nil, "two", []),
        ("?h=2&b=two&cookies", "2", "two", ["a=1", "b=2"]),
        ("?h=2&b=two&cookies", "2", "two", ["a=1", "b=2"]),
        ("?h=2&b=two", "2", "two", []),
        ("?h=3&b=three&stream", "3", "three", []),
        ("?h=2&b=two", "2", "two", []),
        ("?h=2&b=" + String(repeating: "x", count: 2000), "2", String(repeating: "x", count: 2000), []),
        ("?h=2&b=two", "2", "two", []),
        ("?h=2&b=%C3%A9t%C3%A9", "2", "été", []),
        ("?h=2&b=%C3%A9t%C3%A9", "2", "été", []),
    ]
    for (query, h, body, cookies) in rows {
        let r = f.send("GET", "/e/" + query)
        #expect(r.status == 200, "\(query): \(f.logs.lines)")
        #expect(r.header("x-h") == h, "\(query)")
        #expect(r.text == body, "\(query)")
        #expect(r.headers("set-cookie") == cookies, "\(query)")
        #expect(r.header("content-length") == String(body.utf8.count), "\(query)")
    }
}

@Test func aStoppedDispatchDoesNotLeaveStaleRequestValues() throws {
    let f = try Fixture(["s": """
    export default {
      fetch(request) {
        if (request.url.endsWith('/spin')) for (;;) {}
        return new Response(request.method + ' ' + request.url + ' ' + request.headers.get('x-a'));
      },
    };
    """], cpuLimitMs: 50)
    #expect(f.send("GET", "/s/a", headers: [("X-A", "1")]).text == "GET http://127.0.0.1:8080/s/a 1")
    #expect(f.send("GET", "/s/spin", headers: [("X-A", "2")]).status == 503)
    #expect(f.send("GET", "/s/a", headers: [("X-A", "1")]).text == "GET http://127.0.0.1:8080/s/a 1")
    #expect(f.send("POST", "/s/b", headers: [("X-A", "3")]).text == "POST http://127.0.0.1:8080/s/b 3")
}
