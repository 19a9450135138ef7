// TemporaryFolders: folders a test process makes once (a suite's tenant scripts, shared by all
// its tests as a static) and removes when it exits, so `swift test` leaves nothing in /tmp.
import Foundation
import Synchronization

public enum TemporaryFolders {
    private static let made = Mutex<[String]>([])
    private static let removeAtExit: Void = { atexit { TemporaryFolders.removeAll() } }()

    /// A new empty folder under the temporary directory, named `prefix-PID-RANDOM`, removed at exit.
    public static func make(_ prefix: String) -> String {
        _ = removeAtExit
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        made.withLock { $0.append(dir) }
        return dir
    }

    /// A new folder holding `files` (name to text), removed at exit.
    public static func make(_ prefix: String, files: [String: String]) -> String {
        let dir = make(prefix)
        for (name, text) in files { try! text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    static func removeAll() {
        for dir in made.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: dir) }
    }
}

extension Dictionary where Key == String, Value == String {
    /// Tenant scripts keyed by tenant name, as files: `name.js` to its text.
    public var jsFiles: [String: String] {
        Dictionary(uniqueKeysWithValues: map { ($0.key + ".js", $0.value) })
    }
}
