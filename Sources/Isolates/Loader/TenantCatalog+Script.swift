// TenantCatalog+Script: a tenant's script text, bundled with esbuild when it imports (Tenants
// knows where scripts are; reading what they import and bundling is the loader's job).
import Tenants

extension TenantCatalog {
    /// The script text of a known tenant: built in, `NAME.js` as written, or an esbuild bundle
    /// for a package folder or a file that imports other files (read from disk every time it is
    /// asked: the runtime asks once per isolate creation).
    func script(for name: String) throws(ScriptLoadError) -> String {
        switch source {
        case .builtIn(let set):
            guard let s = set.scripts[name] else { throw ScriptLoadError("no built-in tenant named \(name)") }
            return s
        case .directory(let dir):
            switch Self.entry(dir, name) {
            case nil: throw ScriptLoadError("no tenant \(name) in \(dir) (neither \(name).js nor a folder with package.json or index.js)")
            case .package(let folder):
                return try TenantBundler.bundle(entry: folder, tenant: name, why: "is a package folder")
            case .file(let path):
                let text = try Self.read(path)
                let imports = try ScriptLoader.unresolvedImports(in: text)
                guard let first = imports.first else { return text }
                return try TenantBundler.bundle(entry: path, tenant: name, why: "imports \"\(first)\"")
            }
        }
    }
}
