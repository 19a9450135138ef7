// TenantCatalog: which tenants exist and where their script comes from.
import Glibc

/// Answers "is there a tenant NAME" and "where is its script", for the built-in demo tenants or
/// a folder of `NAME.js` files and `NAME/` folders (a package.json or index.js inside, bundled
/// with esbuild by Isolates). A folder is listed once at start; a name not in that list is
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
        guard Self.entry(dir, name) != nil else { return false }
        known.insert(name)
        return true
    }

    /// Where tenant `name` lives in `dir`: `NAME.js`, or a folder `NAME/` holding a
    /// package.json or an index.js (a package to bundle).
    public enum Entry: Equatable { case file(String), package(String) }

    public static func entry(_ dir: String, _ name: String) -> Entry? {
        var st = stat()
        let file = "\(dir)/\(name).js"
        if stat(file, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { return .file(file) }
        let folder = "\(dir)/\(name)"
        guard stat(folder, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        for marker in ["package.json", "index.js"] where access("\(folder)/\(marker)", R_OK) == 0 { return .package(folder) }
        return nil
    }

    static func list(_ dir: String) -> Set<String> {
        var names: Set<String> = []
        guard let d = opendir(dir) else { return names }
        defer { closedir(d) }
        while let dirent = readdir(d) {
            let file = withUnsafeBytes(of: dirent.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let name = file.hasSuffix(".js") ? String(file.dropLast(3)) : file
            if TenantRouter.isValidName(Array(name.utf8)) && entry(dir, name) != nil { names.insert(name) }
        }
        return names
    }

    /// A whole file as text (the runtime reads a tenant's file once per isolate creation).
    public static func read(_ path: String) throws(ScriptLoadError) -> String {
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
