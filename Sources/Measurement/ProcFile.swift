// ProcFile: reads small kernel text files (/proc, /sys, tracefs) with plain read(2).
#if canImport(Glibc)
import Glibc
#endif

/// Reads /proc and /sys files whole. Their stat size is 0, so the file is read until EOF
/// rather than by size; Glibc calls keep this usable where Foundation is unwelcome.
public enum ProcFile {
    /// The file's text, or nil when it cannot be opened (missing, no permission).
    public static func read(_ path: String, limitBytes: Int = 4 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while bytes.count < limitBytes {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first line of a file without its newline (most /proc/sys and /sys values).
    public static func readLine(_ path: String) -> String? {
        guard let text = read(path) else { return nil }
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    /// Whether `path` exists (any type).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Names in a directory except "." and "..", or [] when it cannot be listed.
    public static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// Why a measurement source could not be used: the figure it feeds becomes an explicit
/// "missing" entry in reports instead of a silent zero.
public struct MeasurementUnavailable: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being opened (for example "raw_syscalls:sys_enter").
    public let source: String
    /// A sentence a user can act on (which sysctl, which privilege, which mount).
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}

/// errno as its symbolic-ish text, for reasons.
func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
