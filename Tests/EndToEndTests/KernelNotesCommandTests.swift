// KernelNotesCommandTests: every command Kernel-notes/ names exists and knows the flags the notes give it
// (Scripts/check-kernel-notes against the built isoring), and the checker catches one that does not.
import Foundation
import Testing

@Suite struct KernelNotesCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs Scripts/check-kernel-notes with `arguments`; its exit status and output.
    func check(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = Self.root.appendingPathComponent("Scripts/check-kernel-notes")
        p.arguments = ["--bin", ServerProcess.binary.path] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everyCommandInKernelNotesExistsAndKnowsItsFlags() throws {
        let (status, output) = try check([])
        #expect(status == 0, "\(output)")
        let checked = output.split(separator: "\n").last { $0.hasPrefix("check-kernel-notes: checked") }
            .flatMap { $0.split(separator: " ").dropFirst(2).first.flatMap { Int($0) } } ?? 0
        #expect(checked >= 30, "expected the notes' commands to be found, got \(checked): \(output)")
    }

    @Test func aMissingScriptAnUnknownSubcommandAndAnUnknownFlagAreCaught() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("isoring-notes-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let note = """
            # A note with broken commands
            ```
            isoring probe --syscall-cost
            isoring probe --no-such-flag
            Scripts/no-such-script --fast
            ```
            Run `isoring no-such-subcommand` to see.
            """
        try note.write(to: dir.appendingPathComponent("broken.md"), atomically: true, encoding: .utf8)
        let (status, output) = try check(["--notes", dir.path])
        #expect(status == 1)
        #expect(output.contains("--no-such-flag is not an option of isoring probe"), "\(output)")
        #expect(output.contains("Scripts/no-such-script does not exist"), "\(output)")
        #expect(output.contains("isoring has no subcommand 'no-such-subcommand'"), "\(output)")
        #expect(output.contains("checked 2 commands"), "the two probe commands ran, the other two could not: \(output)")
        #expect(output.contains(", 3 failures"), "\(output)")
    }
}
