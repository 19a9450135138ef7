// ServerProcess: starts the real `isoring serve` on 127.0.0.1 with a free port, and stops it.
import Foundation
import Testing

/// A running `isoring serve` child process. The port is read from its start-up line; `stop()`
/// sends SIGTERM and waits, and deinit makes sure no server outlives its test.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private var boundPort: UInt16 = 0
    /// The port the server printed in its start-up line.
    var port: UInt16 {
        logLock.lock()
        defer { logLock.unlock() }
        return boundPort
    }
    private let stderrPipe = Pipe()
    private let logLock = NSLock()
    private var logText = ""

    /// The isoring binary next to the test bundle (`swift build` puts both in .build/debug),
    /// or $ISORING_BIN.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ISORING_BIN"] { return URL(fileURLWithPath: path) }
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("isoring")
        if FileManager.default.isExecutableFile(atPath: nextToTests.path) { return nextToTests }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/isoring")
    }

    /// `launcher` runs the server through another program that execs it (e.g. prlimit), so
    /// the process id is still the server's. `environment`: variables added to the test's own
    /// (e.g. the debug build's fault seams).
    /// `command`: the subcommand and its port flag (`isoring origin` runs the same way).
    init(_ arguments: [String], command: [String] = ["serve", "--port", "0"], timeout: TimeInterval = 30,
         launcher: [String] = [], environment: [String: String] = [:]) throws {
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = launcher.dropFirst() + [Self.binary.path] + command + arguments
        } else {
            process.executableURL = Self.binary
            process.arguments = command + arguments
        }
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        let handle = stderrPipe.fileHandleForReading
        let found = DispatchSemaphore(value: 0)
        handle.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self, !data.isEmpty, let text = String(data: data, encoding: .utf8) else { return }
            self.logLock.lock()
            defer { self.logLock.unlock() }
            self.logText += text
            if self.boundPort == 0,
               let range = self.logText.range(of: #"listening on http://[0-9.]+:([0-9]+)/"#, options: .regularExpression) {
                self.boundPort = UInt16(self.logText[range].split(separator: ":").last!.dropLast())!
                found.signal()
            }
        }
        try process.run()
        if found.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            throw ServerStartError(log: "server did not start within \(timeout) s:\n" + log)
        }
    }

    /// Everything the server wrote to standard error so far.
    var log: String {
        logLock.lock()
        defer { logLock.unlock() }
        return logText
    }

    /// Waits until the log contains `text` (log lines are written asynchronously).
    func waitForLog(_ text: String, timeout: TimeInterval = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return true }
            usleep(20_000)
        }
        return log.contains(text)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

struct ServerStartError: Error, CustomStringConvertible {
    var log: String
    var description: String { log }
}

/// Runs `isoring` with `arguments` to completion (for commands that must refuse and exit);
/// returns its exit status and what it printed on both streams. A command still running after
/// `timeout` seconds is killed (so a server that wrongly starts cannot hang the test).
func runIsoring(_ arguments: [String], timeout: TimeInterval = 30) throws -> (status: Int32, output: String) {
    try runProgram(ServerProcess.binary.path, arguments, timeout: timeout)
}

/// Runs a program to completion (killed after `timeout` seconds); its status and both streams.
func runProgram(_ path: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardError = pipe
    p.standardOutput = pipe
    try p.run()
    let deadline = DispatchWorkItem { if p.isRunning { p.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    deadline.cancel()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
