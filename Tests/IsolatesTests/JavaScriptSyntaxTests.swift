// JavaScriptSyntaxTests: every .js file in Sources/ and Tests/ passes `node --check`.
import Foundation
import Testing

/// This file is Tests/IsolatesTests/JavaScriptSyntaxTests.swift: the package root is three up.
private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The preludes and demo tenants are plain .js files embedded at build time, so a syntax error
/// in one would otherwise first show as a crash of every new context. node parses each file as
/// its kind (module syntax is detected), independently of JavaScriptCore.
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
        let node = Process()
        node.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        node.arguments = ["node", "--check", path]
        let errors = Pipe()
        node.standardError = errors
        try node.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0, "node --check \(path):\n\(message)")
    }
}
