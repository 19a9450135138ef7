// TenantBundler: bundles a tenant that imports other files or packages with esbuild, as
// wrangler does, into one ES module the loader can rewrite.
import Glibc
import Synchronization
import Tenants

/// The bundle is made once per entry and kept while the entry file's (or folder's
/// package.json's) modification time and size stay the same; every isolate of the tenant
/// then loads the same text. Files the entry imports are not watched: touch the entry to
/// rebundle.
enum TenantBundler {
    private static let cache = Mutex<[String: (stamp: [Int], text: String)]>([:])
    /// Per tenant file: the first import that needs the bundler (nil: none), by stamp, so a
    /// tenant's later cold starts do not tokenize its script twice.
    private static let scans = Mutex<[String: (stamp: [Int], firstImport: String?)]>([:])

    /// The first import in the file at `path` (text `text`) that is not a built-in module.
    static func firstUnresolvedImport(path: String, text: String) throws(ScriptLoadError) -> String? {
        let stamp = Self.stamp(path)
        if let hit = scans.withLock({ $0[path] }), hit.stamp == stamp { return hit.firstImport }
        let first = try ScriptLoader.unresolvedImports(in: text).first
        scans.withLock { $0[path] = (stamp, first) }
        return first
    }

    /// esbuild's options for Workers: ES module output, the `workerd`/`worker`/`browser`
    /// package conditions, and the built-in modules left as imports for the loader.
    static let esbuildArguments = [
        "--bundle", "--format=esm", "--platform=neutral", "--target=es2022", "--charset=utf8",
        "--main-fields=workerd,worker,browser,module,main", "--conditions=workerd,worker,browser",
        "--log-level=error",
    ] + ScriptLoader.builtinModules.sorted().map { "--external:\($0)" }

    /// The bundled module text of `entry` (a .js file, or a folder esbuild resolves through
    /// its package.json `main` or index.js). `why` says what needs bundling, for the error.
    /// `esbuild`: the executable (found on PATH by default; nil as if it were not installed).
    static func bundle(entry: String, tenant: String, why: String,
                       esbuild: String? = findExecutable("esbuild")) throws(ScriptLoadError) -> String {
        let stamp = Self.stamp(entry)
        if let hit = cache.withLock({ $0[entry] }), hit.stamp == stamp { return hit.text }
        guard let esbuild else {
            throw ScriptLoadError("tenant \(tenant) \(why), so it must be bundled, and esbuild is not installed (apt-get install esbuild; Scripts/bootstrap installs it)")
        }
        var template = Array("/tmp/isoring-bundle-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ScriptLoadError("bundling \(tenant): mkstemp failed: \(String(cString: strerror(errno)))") }
        close(fd)
        let out = String(cString: template)
        let errPath = out + ".err"
        defer { unlink(out); unlink(errPath) }
        let status = run(esbuild, [entry, "--outfile=\(out)", "--allow-overwrite"] + esbuildArguments, stderrTo: errPath)
        guard status == 0 else {
            let message = (try? TenantCatalog.read(errPath)) ?? ""
            throw ScriptLoadError("tenant \(tenant): esbuild failed (exit \(status)):\n\(message)")
        }
        let text = try TenantCatalog.read(out)
        cache.withLock { $0[entry] = (stamp, text) }
        return text
    }

    /// Modification time and size of the entry (for a folder, of its package.json too).
    private static func stamp(_ path: String) -> [Int] {
        var out: [Int] = []
        for p in [path, path + "/package.json"] {
            var st = stat()
            if stat(p, &st) == 0 { out += [Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_size)] }
        }
        return out
    }

    static func findExecutable(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 { return "\(dir)/\(name)" }
        return nil
    }

    /// Runs `program` with stdin and stdout on /dev/null and stderr into `stderrTo`; returns
    /// its exit status (or -1 if it could not start).
    private static func run(_ program: String, _ arguments: [String], stderrTo path: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }
}
