// Harness: builds HTTPRequest values over a byte buffer by hand and parses written responses.
import Foundation
import HTTP1
@testable import Isolates
import Logging
import Platform
import Tenants

/// A response as read back from the OutputBuffer.
struct ParsedResponse {
    var status: Int
    var reason: String
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    func headers(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    func json() -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}

/// Collects log lines (the runtime's `log` closure may be called from the test's thread only).
final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ s: String) { lock.lock(); storage.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
    func contains(_ s: String) -> Bool { lines.contains { $0.contains(s) } }
}

/// A runtime over a temporary folder of tenant scripts.
final class Fixture {
    let dir: String
    let logs = LogSink()
    let runtime: IsolateRuntime

    init(_ scripts: [String: String], cpuLimitMs: Int = 200, routing: TenantRouting = .hostOrPath,
         logLevel: Logger.Level = .trace) throws {
        dir = NSTemporaryDirectory() + "isoring-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, source) in scripts {
            try source.write(toFile: "\(dir)/\(name).js", atomically: true, encoding: .utf8)
        }
        var options = IsolateOptions()
        options.cpuLimitMs = cpuLimitMs
        options.routing = routing
        let sink = logs
        runtime = try IsolateRuntime(options: options, tenants: .directory(dir), logger: .lines(level: logLevel) { sink.append($0) })
    }

    /// A runtime with explicit options (prewarm, limits) over `scripts`.
    init(_ scripts: [String: String], options: IsolateOptions) throws {
        dir = NSTemporaryDirectory() + "isoring-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, source) in scripts {
            try source.write(toFile: "\(dir)/\(name).js", atomically: true, encoding: .utf8)
        }
        let sink = logs
        runtime = try IsolateRuntime(options: options, tenants: .directory(dir), logger: .lines(level: .trace) { sink.append($0) })
    }

    init(builtIn: Void) throws {
        dir = ""
        let sink = logs
        runtime = try IsolateRuntime(options: IsolateOptions(), tenants: .demo, logger: .lines(level: .trace) { sink.append($0) })
    }

    deinit { if !dir.isEmpty { try? FileManager.default.removeItem(atPath: dir) } }

    /// Sends `method target` with `headers` and `body` to the runtime and parses the answer.
    func send(_ method: String = "GET", _ target: String, host: String? = "127.0.0.1:8080",
              headers: [(String, String)] = [], body: String = "", keepAlive: Bool = true) -> ParsedResponse {
        var all = headers
        if let host { all.insert(("Host", host), at: 0) }
        if !body.isEmpty { all.append(("Content-Length", String(body.utf8.count))) }
        return send(raw: method, target, headers: all, body: Array(body.utf8), keepAlive: keepAlive)
    }

    func send(raw method: String, _ target: String, headers: [(String, String)], body: [UInt8],
              keepAlive: Bool) -> ParsedResponse {
        var bytes: [UInt8] = []
        var request = HTTPRequest()
        func add(_ s: String) -> Range<Int> {
            let start = bytes.count
            bytes.append(contentsOf: s.utf8)
            return start..<bytes.count
        }
        request.method = add(method)
        _ = add(" ")
        request.target = add(target)
        _ = add(" HTTP/1.1\r\n")
        for (name, value) in headers {
            let n = add(name)
            _ = add(": ")
            let v = add(value)
            _ = add("\r\n")
            request.headers.append(HTTPHeaderField(name: n, value: v))
            if name.lowercased() == "host" { request.host = v }
        }
        _ = add("\r\n")
        let bodyStart = bytes.count
        bytes.append(contentsOf: body)
        request.body = bodyStart..<bytes.count
        request.isHead = method == "HEAD"
        request.keepAlive = keepAlive
        let out = OutputBuffer()
        let status = bytes.withUnsafeBytes { runtime.respond(to: request, in: $0, keepAlive: keepAlive, into: out) }
        let parsed = Self.parse(Array(out.bytes), isHead: request.isHead)
        precondition(parsed.status == status, "respond returned \(status) but wrote \(parsed.status)")
        return parsed
    }

    static func parse(_ bytes: [UInt8], isHead: Bool) -> ParsedResponse {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return ParsedResponse(status: -1, reason: "", headers: [], body: []) }
        let head = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ", maxSplits: 2).map(String.init)
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let headBytes = text[..<headEnd.upperBound].utf8.count
        let body = Array(bytes[headBytes...])
        var r = ParsedResponse(status: Int(statusLine[1]) ?? -1, reason: statusLine.count > 2 ? statusLine[2] : "",
                               headers: headers, body: body)
        if let len = r.header("content-length").flatMap(Int.init), !isHead {
            precondition(len == body.count, "content-length \(len) but body has \(body.count) bytes")
        }
        if isHead { r.body = [] }
        return r
    }
}
