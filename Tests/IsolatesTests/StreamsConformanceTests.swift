// StreamsConformanceTests: the web-platform-tests streams suites (WPT/streams, provenance and
// the figures in WPT/streams/README.md) run in tenants: each test file is one tenant made of the
// testharness shim (JavaScript/wpt-streams-harness.js), the file's META resources and the file,
// and each of its subtests runs in its own request. The suite prints a per-file and
// per-directory table and fails if a directory passes fewer subtests than it did when the
// figures were recorded.
import Foundation
import Testing
@testable import Isolates

@Suite struct StreamsConformanceTests {
    private static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private static let root = here.appendingPathComponent("WPT/streams")

    /// The subtests each directory passed when the README's figures were taken: a change that
    /// passes fewer is a regression (raise these when a fix passes more).
    static let floors: [String: Int] = [
        "readable-streams": 332, "writable-streams": 177, "transform-streams": 131, "piping": 212,
        "queuing-strategies": 20, "readable-byte-streams": 8,
    ]

    /// Files whose subtests need what a Workers-like runtime does not offer; they are listed and
    /// counted as not applicable, not run.
    static let notApplicable: [String: String] = [
        "readable-streams/garbage-collection.any.js": "needs a forced GC (self.gc, /common/gc.js)",
        "writable-streams/garbage-collection.any.js": "needs a forced GC (self.gc, /common/gc.js)",
        "readable-streams/owning-type-message-port.any.js": "needs MessageChannel and transferable streams",
        "readable-streams/owning-type-video-frame.any.js": "needs VideoFrame (WebCodecs)",
        "readable-streams/owning-type.any.js": "type: 'owning' is a proposal, not in the Streams Standard (needs transfer lists)",
        "readable-byte-streams/enqueue-with-detached-buffer.any.js": "needs structuredClone with transfer (detaching an ArrayBuffer)",
        "readable-byte-streams/non-transferable-buffers.any.js": "needs WebAssembly.Memory buffers that cannot be transferred",
    ]

    struct FileResult {
        var file: String
        var subtests = 0, passed = 0, failed = 0, notApplicable = 0
        var failures: [String] = []
    }

    static func directory(of file: String) -> String {
        file.contains("/") ? String(file.split(separator: "/")[0]) : "queuing-strategies"
    }

    /// The test files, relative to WPT/streams, sorted.
    static func testFiles() throws -> [String] {
        let fm = FileManager.default
        let all = fm.enumerator(atPath: root.path)!.compactMap { $0 as? String }
        return all.filter { $0.hasSuffix(".any.js") && !$0.hasPrefix("resources/") }.sorted()
    }

    /// The tenant for `file`: the shim, the resources its META lines name, then the file as the
    /// body of `__wpt.define`.
    static func tenantScript(_ file: String) throws -> String {
        let harness = try String(contentsOf: here.appendingPathComponent("JavaScript/wpt-streams-harness.js"), encoding: .utf8)
        let url = root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        var parts = [harness]
        for line in text.split(separator: "\n") where line.hasPrefix("// META: script=") {
            let path = String(line.dropFirst("// META: script=".count)).trimmingCharacters(in: .whitespaces)
            // Resources outside streams/ (/common/gc.js) are not kept: only N/A files name them.
            if path.hasPrefix("/") { continue }
            let resource = url.deletingLastPathComponent().appendingPathComponent(path).standardized
            parts.append(try String(contentsOf: resource, encoding: .utf8))
        }
        parts.append("__wpt.define = function () {\n\(text)\n};")
        parts.append("export default { fetch(request) { return __wpt.handle(request); } };")
        return parts.joined(separator: "\n;\n")
    }

    static func tenantName(_ file: String) -> String {
        let stem = file.replacingOccurrences(of: ".any.js", with: "")
        return String(stem.lowercased().map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? $0 : "-" }.prefix(63))
    }

    /// Runs every subtest of `file` in its own request to the tenant in `fixture`.
    static func run(_ file: String, in fixture: Fixture) -> FileResult {
        var result = FileResult(file: file)
        let name = tenantName(file)
        let list = fixture.send("GET", "/\(name)/?list")
        guard let names = list.json()["names"] as? [Any] else {
            result.failures.append("could not list the tests: \(list.status) \(list.text.prefix(300))")
            return result
        }
        result.subtests = names.count
        if let reason = notApplicable[file] {
            result.notApplicable = names.count
            result.failures.append("not applicable: \(reason)")
            return result
        }
        for index in names.indices {
            let r = fixture.send("GET", "/\(name)/?test=\(index)")
            let j = r.json()
            if j["status"] as? String == "PASS" {
                result.passed += 1
            } else {
                result.failed += 1
                let why = (j["status"] as? String).map { "\($0) \(j["message"] as? String ?? "")" } ?? "HTTP \(r.status) \(r.text.prefix(200))"
                result.failures.append("\(names[index]): \(why)")
            }
        }
        return result
    }

    @Test func wptStreamsSuites() throws {
        let files = try Self.testFiles()
        var scripts: [String: String] = [:]
        for file in files { scripts[Self.tenantName(file)] = try Self.tenantScript(file) }
        let fixture = try Fixture(scripts, cpuLimitMs: 5_000, logLevel: .error)
        var results: [FileResult] = []
        for file in files {
            let r = Self.run(file, in: fixture)
            results.append(r)
            print("WPT streams \(file): \(r.passed)/\(r.subtests) passed, \(r.failed) failed, \(r.notApplicable) not applicable")
            for failure in r.failures.prefix(200) { print("    \(failure)") }
        }
        print("| directory | files | subtests | passed | failed | not applicable |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        var totals = FileResult(file: "all")
        var fileCount = 0
        for dir in Self.floors.keys.sorted() {
            let rs = results.filter { Self.directory(of: $0.file) == dir }
            let sum = rs.reduce(into: FileResult(file: dir)) {
                $0.subtests += $1.subtests; $0.passed += $1.passed; $0.failed += $1.failed; $0.notApplicable += $1.notApplicable
            }
            print("| \(dir) | \(rs.count) | \(sum.subtests) | \(sum.passed) | \(sum.failed) | \(sum.notApplicable) |")
            totals.subtests += sum.subtests; totals.passed += sum.passed; totals.failed += sum.failed
            totals.notApplicable += sum.notApplicable; fileCount += rs.count
            #expect(sum.passed >= Self.floors[dir]!, "\(dir): \(sum.passed) passed, the floor is \(Self.floors[dir]!)")
        }
        print("| all | \(fileCount) | \(totals.subtests) | \(totals.passed) | \(totals.failed) | \(totals.notApplicable) |")
        #expect(fixture.logs.lines.allSatisfy { !$0.contains("script failed to load") }, "\(fixture.logs.lines.prefix(5))")
    }
}
