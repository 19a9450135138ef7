// TenantCatalog: which tenants exist and where their script text comes from.
import Glibc

/// Answers "is there a tenant NAME" and "what is its script", for the built-in demo tenants or
/// a folder of `NAME.js` files. A folder is listed once at start; a name not in that list is
/// checked with stat(2) on demand, so files added later are found (misses are not cached).
public struct TenantCatalog {
    public let source: TenantSource
    private var known: Set<String> = []

    public init(_ source: TenantSource) {
        self.source = source
        switch source {
        case .builtIn(let set):
            known = Set(set.scripts.keys)
        case .directory(let dir):
            known = Self.list(dir)
        }
    }

    /// The tenant that answers requests to bare localhost / 127.0.0.1 that name no tenant:
    /// `hello` for the built-in set, `default` for a folder holding `default.js`.
    public var defaultTenant: String? {
        switch source {
        case .builtIn(let set): return set.defaultTenant
        case .directory: return known.contains("default") ? "default" : nil
        }
    }

    public mutating func isKnown(_ name: String) -> Bool {
        if known.contains(name) { return true }
        guard case .directory(let dir) = source, TenantRouter.isValidName(Array(name.utf8)) else { return false }
        guard Self.isScriptFile(dir, name) else { return false }
        known.insert(name)
        return true
    }

    /// The script text of a known tenant (read from disk for a folder, every time it is
    /// asked: the runtime asks once per isolate creation).
    public func script(for name: String) throws(ScriptLoadError) -> String {
        switch source {
        case .builtIn(let set):
            guard let s = set.scripts[name] else { throw ScriptLoadError("no built-in tenant named \(name)") }
            return s
        case .directory(let dir):
            return try Self.read("\(dir)/\(name).js")
        }
    }

    /// Whether `DIR/NAME.js` is a regular file (one stat(2); misses are not cached, so a file
    /// added later is found).
    static func isScriptFile(_ dir: String, _ name: String) -> Bool {
        var st = stat()
        return stat("\(dir)/\(name).js", &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    static func list(_ dir: String) -> Set<String> {
        var names: Set<String> = []
        guard let d = opendir(dir) else { return names }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let file = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard file.hasSuffix(".js") else { continue }
            let name = String(file.dropLast(3))
            if TenantRouter.isValidName(Array(name.utf8)) { names.insert(name) }
        }
        return names
    }

    static func read(_ path: String) throws(ScriptLoadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScriptLoadError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw ScriptLoadError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
