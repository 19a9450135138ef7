// JavaScriptSyntaxTests: every .js file in Sources/ and Tests/ passes `node --check`.
import Foundation
import Testing
@testable import Isolates

/// This file is Tests/IsolatesTests/JavaScriptSyntaxTests.swift: the package root is three up.
private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The preludes and demo tenants are plain .js files embedded at build time, so a syntax error
/// in one would otherwise first show as a crash of every new context. node parses each file as
/// its kind, independently of JavaScriptCore: a module (as our loader classifies it) is checked
/// as a copy named .mjs, since node before 20.19 does not detect module syntax in .js files.
@Suite struct JavaScriptSyntaxTests {
    static func jsFiles() -> [String] {
        var found: [String] = []
        for top in ["Sources", "Tests"] {
            let dir = packageRoot.appendingPathComponent(top)
            guard let walk = FileManager.default.enumerator(atPath: dir.path) else { continue }
            while let rel = walk.nextObject() as? String {
                if rel.hasSuffix(".js") { found.append(dir.appendingPathComponent(rel).path) }
            }
        }
        return found.sorted()
    }

    @Test func theEmbeddedScriptsAreFound() {
        let names = Set(Self.jsFiles().map { URL(fileURLWithPath: $0).lastPathComponent })
        for expected in ["workers-prelude.js", "url-prelude.js", "hello.js", "echo.js", "json.js"] {
            #expect(names.contains(expected), "\(expected) not found under Sources/")
        }
    }

    @Test(arguments: jsFiles())
    func nodeCheckAccepts(_ path: String) throws {
        var checked = path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        if (try? ScriptLoader.prepare(text).form) == .module {
            checked = NSTemporaryDirectory() + UUID().uuidString + "-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".mjs"
            try text.write(toFile: checked, atomically: true, encoding: .utf8)
        }
        defer { if checked != path { try? FileManager.default.removeItem(atPath: checked) } }
        let node = Process()
        node.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        node.arguments = ["node", "--check", checked]
        let errors = Pipe()
        node.standardError = errors
        try node.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0, "node --check \(path):\n\(message)")
    }
}
