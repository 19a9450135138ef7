// `isoring node-coldstart`: spawn-to-first-response of a Node.js process, for the cold-start claim.
import ArgumentParser
import Foundation
import LoadGen
import Measurement
#if canImport(Glibc)
import Glibc
#endif

struct NodeColdStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node-coldstart",
        abstract: "Time `node` from spawn to its first HTTP response, several times, and its RSS then (JSON).")

    @Option(help: "Spawns to time.")
    var count = 10

    @Option(help: "Write the result as JSON to this file.")
    var json: String?

    @Option(help: "The node binary.")
    var node = "node"

    func run() throws {
        guard let version = Self.capture([node, "--version"]) else {
            throw ValidationError("node is not installed (\(node) --version failed)")
        }
        var samples: [Double] = []
        var rss: [UInt64] = []
        var pss: [UInt64] = []
        for i in 0..<count {
            let port = UInt16(20000 + Int(getpid() % 20000) + i)
            let script = "require('http').createServer((q,s)=>s.end('hello\\n')).listen(\(port),'127.0.0.1')"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [node, "-e", script]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let started = DispatchTime.now().uptimeNanoseconds
            try p.run()
            var ok = false
            while DispatchTime.now().uptimeNanoseconds - started < 10_000_000_000 {
                if let r = try? ControlClient.request(host: "127.0.0.1", port: port, method: "GET", path: "/", timeoutSeconds: 2),
                   r.status == 200 {
                    ok = true
                    break
                }
                usleep(500)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            if ok {
                samples.append(elapsed)
                if let kb = ProcessStatus.read(pid: p.processIdentifier)?.residentKilobytes { rss.append(kb) }
                if let m = SmapsRollup.read(pid: p.processIdentifier) { pss.append(m.pssKilobytes) }
            }
            p.terminate()
            p.waitUntilExit()
        }
        let result = NodeColdStart(nodeVersion: version, samplesMillis: samples, rssKilobytes: rss, pssKilobytes: pss)
        print("node \(version): spawn to first response p50 " + String(format: "%.1f ms over %d spawns, RSS %.0f KiB",
                     result.p50Millis, samples.count, result.medianRSSKilobytes))
        if let path = json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result).write(to: URL(fileURLWithPath: path))
        }
    }

    static func capture(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
