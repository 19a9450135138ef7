// ServeTests: the real server on 127.0.0.1, spoken to over sockets, once per I/O engine.
import Foundation
import IOCore
import Testing
import TestSupport

/// `--io`: the engines every end-to-end test runs against (IOCore's EngineKind).
typealias IO = EngineKind

extension EngineKind: @retroactive CustomTestStringConvertible {
    public var testDescription: String { "--io \(rawValue)" }

    /// Skips the running test (reported as skipped, with the reason) when this engine cannot run.
    func requireAvailable() throws {
        if let reason = skipReason { try Test.cancel("skipped: \(reason)") }
    }
}

/// `--isolation`: where tenants' JavaScript runs.
enum Isolation: String, CaseIterable {
    case isolate, process, cgi
}

/// One way to run the server. The isolate model runs with every engine; the process and cgi
/// models (whose workers always use blocking syscalls) with the event-loop fronts, to keep the
/// suite's running time reasonable (ProcessModelTests covers the blocking front).
struct Mode: CustomTestStringConvertible, Sendable {
    var io: IO
    var isolation: Isolation
    var testDescription: String { "--io \(io.rawValue) --isolation \(isolation.rawValue)" }
    var arguments: [String] { ["--io", io.rawValue, "--isolation", isolation.rawValue] }

    static let all: [Mode] = IO.allCases.map { Mode(io: $0, isolation: .isolate) }
        + [IO.epoll, .uring].flatMap { io in [Isolation.process, .cgi].map { Mode(io: io, isolation: $0) } }
}

let tenantsFolder: String = TestTenants.makeFolder()

func startServer(_ mode: Mode, _ extra: [String] = []) throws -> ServerProcess {
    try ServerProcess(mode.arguments + ["--tenants", tenantsFolder, "--cpu-limit-ms", "100"] + extra)
}

@Suite("serve, once per engine and isolation model")
struct ServeTests {
    @Test(arguments: Mode.all)
    func builtInDemoAnswersFromJavaScript(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try ServerProcess(mode.arguments)
        defer { server.stop() }
        let r = try request(server.port, "GET", "/")
        #expect(r.status == 200)
        #expect(r.text.lowercased().contains("hello"))
    }

    @Test(arguments: Mode.all)
    func bothHandlerFormsAndRouting(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let module = try request(server.port, "GET", "/", host: "hello.localhost")
        #expect(module.status == 200)
        #expect(module.text == "hello from the module form\n")
        #expect(module.header("content-type") == "text/plain")
        let sw = try request(server.port, "GET", "/sw/")
        #expect(sw.status == 200)
        #expect(sw.text == "hello from the service-worker form\n")
        let byHostWithPort = try request(server.port, "GET", "/x", host: "sw.localhost:\(server.port)")
        #expect(byHostWithPort.text == "hello from the service-worker form\n")
        let unknown = try request(server.port, "GET", "/nosuchtenant/")
        #expect(unknown.status == 404)
        let unknownHost = try request(server.port, "GET", "/", host: "nobody.localhost")
        #expect(unknownHost.status == 404)
    }

    @Test(arguments: Mode.all)
    func requestReachesTheHandlerWhole(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let r = try request(server.port, "POST", "/echo/path?a=1&b=two", headers: ["Content-Type: text/plain", "X-Mixed-Case: Value"], body: "payload")
        #expect(r.status == 200)
        let json = try #require(r.json)
        #expect(json["method"] as? String == "POST")
        #expect(json["pathname"] as? String == "/echo/path")
        #expect(json["body"] as? String == "payload")
        #expect(json["contentType"] as? String == "text/plain")
        #expect((json["query"] as? [String: String]) == ["a": "1", "b": "two"])
        #expect((json["headers"] as? [String: String])?["x-mixed-case"] == "Value")
        #expect((json["url"] as? String)?.hasPrefix("http://127.0.0.1") == true)
    }

    @Test(arguments: Mode.all)
    func workersAPIPieces(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let status = try request(server.port, "GET", "/api/status")
        #expect(status.status == 201)
        #expect(status.reason == "Made It")
        #expect(status.header("x-custom") == "yes")
        #expect(status.text == "created")
        let redirect = try request(server.port, "GET", "/api/redirect")
        #expect(redirect.status == 301)
        #expect(redirect.header("location") == "https://example.com/elsewhere")
        let bytes = try request(server.port, "GET", "/api/bytes")
        #expect(bytes.body == [104, 105, 10])
        let empty = try request(server.port, "GET", "/api/null")
        #expect(empty.status == 204)
        #expect(empty.body.isEmpty)
        let json = try request(server.port, "POST", "/api/json", headers: ["Content-Type: application/json"], body: #"{"a":2,"b":3}"#)
        #expect(json.json?["sum"] as? Int == 5)
        #expect(json.header("content-type")?.hasPrefix("application/json") == true)
        let headers = try request(server.port, "GET", "/api/headers")
        #expect(headers.text == #"{"a":"1, 2","hasB":true,"n":2}"#)
        let encoding = try request(server.port, "GET", "/api/encoding")
        #expect(encoding.text == "6 héllo")
        let awaited = try request(server.port, "GET", "/api/await")
        #expect(awaited.text == "awaited 7")
        let search = try request(server.port, "GET", "/api/search")
        #expect(search.text == "x=1+2&y=%26")
        let logged = try request(server.port, "GET", "/api/log")
        #expect(logged.text == "logged")
        #expect(server.waitForLog("tenant says 42"))
        #expect(server.log.contains("api"))
        let head = try request(server.port, "HEAD", "/hello/")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("content-length") == "27")
    }

    @Test(arguments: Mode.all)
    func brokenTenantsGetErrorsAndOthersNeverNotice(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let thrown = try request(server.port, "GET", "/thrower/")
        #expect(thrown.status == 500)
        #expect(!thrown.text.contains("blew up"))
        #expect(server.waitForLog("tenant blew up on purpose"))
        #expect(try request(server.port, "GET", "/thrower/ok").text == "still fine")
        let rejected = try request(server.port, "GET", "/rejecter/")
        #expect(rejected.status == 500)
        #expect(server.waitForLog("rejected on purpose"))
        let broken = try request(server.port, "GET", "/broken/")
        #expect(broken.status == 500)
        let importer = try request(server.port, "GET", "/importer/")
        #expect(importer.status == 500)
        #expect(server.waitForLog("import"))
        let started = Date()
        let runaway = try request(server.port, "GET", "/runaway/")
        #expect(runaway.status == 503)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try request(server.port, "GET", "/runaway/ok").text == "recovered")
        #expect(try request(server.port, "GET", "/hello/").status == 200)
    }

    @Test(arguments: Mode.all)
    func tenantsCannotSeeEachOther(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/setter/").text == "set")
        #expect(try request(server.port, "GET", "/getter/").text == #"{"secret":"undefined","polluted":false}"#)
    }

    @Test(arguments: Mode.all)
    func keepAliveAndConnectionClose(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        for _ in 0..<3 {
            c.send("GET /hello/ HTTP/1.1\r\nHost: x\r\n\r\n")
            let r = try c.readResponse()
            #expect(r.status == 200)
            #expect(r.header("connection") == "keep-alive")
        }
        c.send("GET /hello/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let last = try c.readResponse()
        #expect(last.status == 200)
        #expect(last.header("connection") == "close")
        #expect(c.isClosedByPeer())

        let old = try Connection(port: server.port)
        old.send("GET /hello/ HTTP/1.0\r\n\r\n")
        #expect(try old.readResponse().status == 200)
        #expect(old.isClosedByPeer())

        let oldKeep = try Connection(port: server.port)
        oldKeep.send("GET /hello/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try oldKeep.readResponse().status == 200)
        oldKeep.send("GET /sw/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try oldKeep.readResponse().text == "hello from the service-worker form\n")
    }

    @Test(arguments: Mode.all)
    func pipelinedRequestsAnsweredInOrder(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        var burst = ""
        for i in 0..<20 {
            burst += "POST /echo/\(i) HTTP/1.1\r\nHost: x\r\nContent-Length: \(String(i).count)\r\n\r\n\(i)"
        }
        c.send(burst)
        for i in 0..<20 {
            let r = try c.readResponse()
            #expect(r.json?["pathname"] as? String == "/echo/\(i)")
            #expect(r.json?["body"] as? String == "\(i)")
        }
        // A request split into single bytes still arrives whole.
        for byte in Array("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n".utf8) {
            c.send([byte])
            usleep(200)
        }
        #expect(try c.readResponse().text == "hello from the service-worker form\n")
    }

    @Test(arguments: Mode.all)
    func chunkedRequestBody(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        c.send("POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n")
        let r = try c.readResponse()
        #expect(r.status == 200)
        #expect(r.json?["body"] as? String == "hello world")
        c.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try c.readResponse().status == 200)
    }

    @Test(arguments: Mode.all)
    func badRequestsGetTheirStatusAndTheServerGoesOn(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode, ["--max-body-bytes", "1000", "--max-header-bytes", "2048"])
        defer { server.stop() }
        let cases: [(String, String, Int)] = [
            ("garbage", "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n", 400),
            ("no version", "GET /\r\n\r\n", 400),
            ("CL and TE", "POST /echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
            ("conflicting CL", "POST /echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
            ("bare CR", "GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n", 400),
            ("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n", 400),
            ("missing host", "GET / HTTP/1.1\r\n\r\n", 400),
            ("body too big", "POST /echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", 413),
            ("header too big", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 3000))\r\n\r\n", 431),
            ("unknown coding", "POST /echo/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
            ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ]
        for (name, raw, status) in cases {
            let c = try Connection(port: server.port)
            c.send(raw)
            let r = try c.readResponse()
            #expect(r.status == status, "\(name): got \(r.status)")
            #expect(r.header("connection") == "close", "\(name)")
            #expect(c.isClosedByPeer(), "\(name): connection should be closed")
        }
        #expect(try request(server.port, "GET", "/hello/").status == 200)
    }

    @Test(arguments: Mode.all)
    func halfClosedClientStillGetsItsAnswer(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        let c = try Connection(port: server.port)
        c.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
        c.shutdownWrite()
        #expect(try c.readResponse().status == 200)
        #expect(c.isClosedByPeer())
    }

    @Test(arguments: Mode.all)
    func metricsEndpointCountsRequests(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode)
        defer { server.stop() }
        for _ in 0..<5 { _ = try request(server.port, "GET", "/hello/") }
        let m = try request(server.port, "GET", "/__isoring/metrics")
        #expect(m.status == 200)
        let line = m.text.split(separator: "\n").first { $0.hasPrefix("isoring_requests_total ") }
        let count = line.flatMap { Int($0.split(separator: " ")[1]) } ?? -1
        #expect(count >= 5)
    }
}

@Suite("command line")
struct CommandLineTests {
    @Test func badFlagIsNamed() throws {
        let (status, output) = try runIsoring(["serve", "--io", "carrier-pigeon"])
        #expect(status != 0)
        #expect(output.contains("--io"))
    }

    @Test(arguments: ["1", "2"])
    func secondServerOnATakenPortIsRefused(_ threads: String) throws {
        let first = try ServerProcess([])
        defer { first.stop() }
        let (status, output) = try runIsoring(["serve", "--port", "\(first.port)", "--threads", threads], timeout: 10)
        #expect(status != 0)
        #expect(output.contains("Address already in use"), "\(output)")
    }

    @Test func missingTenantsFolderIsNamed() throws {
        let (status, output) = try runIsoring(["serve", "--tenants", "/nonexistent/isoring"])
        #expect(status != 0)
        #expect(output.contains("--tenants"))
    }
}
