// TenantCatalog: which tenants exist and where their script text comes from.
import Glibc

/// Answers "is there a tenant NAME" and "what is its script", for the built-in demo tenants or
/// a folder of `NAME.js` files and `NAME/` folders (a package.json or index.js inside, bundled
/// with esbuild). A folder is listed once at start; a name not in that list is
/// checked with stat(2) on demand, so files added later are found (misses are not cached).
public struct TenantCatalog {
    let source: TenantSource
    private var known: Set<String> = []

    init(_ source: TenantSource) {
        self.source = source
        switch source {
        case .builtIn:
            known = Set(DemoTenants.scripts.keys)
        case .directory(let dir):
            known = Self.list(dir)
        }
    }

    /// The tenant that answers requests to bare localhost / 127.0.0.1 that name no tenant:
    /// `hello` for the built-in set, `default` for a folder holding `default.js`.
    var defaultTenant: String? {
        switch source {
        case .builtIn: return DemoTenants.defaultTenant
        case .directory: return known.contains("default") ? "default" : nil
        }
    }

    mutating func isKnown(_ name: String) -> Bool {
        if known.contains(name) { return true }
        guard case .directory(let dir) = source, TenantRouter.isValidName(Array(name.utf8)) else { return false }
        if Self.entry(dir, name) != nil {
            known.insert(name)
            return true
        }
        return false
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

    /// The script text of a known tenant (read from disk for a folder, every time it is
    /// asked: the runtime asks once per isolate creation).
    func script(for name: String) throws(ScriptLoadError) -> String {
        switch source {
        case .builtIn:
            guard let s = DemoTenants.scripts[name] else { throw ScriptLoadError("no built-in tenant named \(name)") }
            return s
        case .directory(let dir):
            switch Self.entry(dir, name) {
            case nil: throw ScriptLoadError("no tenant \(name) in \(dir) (neither \(name).js nor a folder with package.json or index.js)")
            case .package(let folder):
                return try TenantBundler.bundle(entry: folder, tenant: name, why: "is a package folder")
            case .file(let path):
                let text = try Self.read(path)
                guard let first = try TenantBundler.firstUnresolvedImport(path: path, text: text) else { return text }
                return try TenantBundler.bundle(entry: path, tenant: name, why: "imports \"\(first)\"")
            }
        }
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
