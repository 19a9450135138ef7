// ScriptLoader: turns a Workers module script into a classic script JSC's C API can evaluate.
import Tenants

/// A script ready for JSEvaluateScript.
struct PreparedScript {
    enum Form { case module, serviceWorker }
    var source: String
    var form: Form
}

/// The C API has no module loader, so a module is rewritten into a classic strict-mode script
/// with the same line numbers: its default export (every form bundlers and people write:
/// `export default <expr>`, `export default function f`/`class C`, `export { app as default }`)
/// becomes an assignment to a hidden global the prelude picks up; named exports lose their
/// `export` keyword; imports of built-in modules (`node:buffer`, `buffer`,
/// `cloudflare:workers`) become `const` bindings from the prelude. Any other import means the
/// tenant must be bundled first (TenantBundler does that with esbuild), as wrangler does.
enum ScriptLoader {
    static let hiddenDefault = "globalThis.__isoringDefaultExport ="
    static let builtinModules: Set<String> = ["node:buffer", "buffer", "cloudflare:workers"]

    static func prepare(_ source: String) throws(ScriptLoadError) -> PreparedScript {
        var lexer = JSLexer(source)
        try lexer.run()
        var rewrite = ModuleRewrite(lexer: lexer)
        try rewrite.run()
        if let spec = rewrite.unresolvedImports.first {
            throw ScriptLoadError("line \(spec.line): imports \(spec.text), which is not built in: the tenant must be bundled (a folder with package.json, or a file that esbuild can bundle)")
        }
        guard rewrite.isModule else { return PreparedScript(source: source, form: .serviceWorker) }
        return PreparedScript(source: rewrite.output(), form: .module)
    }

    /// The specifiers of static imports and re-exports that are not built-in modules (cheap
    /// pre-check: only scripts that contain "import" or "export" are tokenized).
    static func unresolvedImports(in source: String) throws(ScriptLoadError) -> [String] {
        guard source.contains("import") || source.contains("export") else { return [] }
        var lexer = JSLexer(source)
        try lexer.run()
        var rewrite = ModuleRewrite(lexer: lexer)
        try rewrite.run()
        return rewrite.unresolvedImports.map(\.text)
    }
}

/// The edits that turn a module's top-level import and export statements into classic script.
/// Removed text is replaced by as many newlines as it held, so every line keeps its number.
struct ModuleRewrite {
    let lexer: JSLexer
    private var edits: [(start: Int, end: Int, text: String)] = []
    private var defaultName: String? = nil
    private var defaultLine = 0
    /// Built-in imports, hoisted to the first line as module imports are.
    private var hoisted: [String] = []
    private(set) var isModule = false
    private(set) var unresolvedImports: [(text: String, line: Int)] = []

    init(lexer: JSLexer) { self.lexer = lexer }

    mutating func run() throws(ScriptLoadError) {
        let t = lexer.tokens
        var depth = 0
        var k = 0
        while k < t.count {
            let tok = t[k]
            if tok.kind == .punct {
                switch lexer.bytes[tok.start] { case 0x7B, 0x28, 0x5B: depth += 1; case 0x7D, 0x29, 0x5D: depth -= 1; default: break }
            } else if tok.kind == .template {
                let s = lexer.bytes[tok.end - 1] == 0x7B, e = lexer.bytes[tok.start] == 0x7D
                depth += (s ? 1 : 0) - (e ? 1 : 0)
            }
            let atStatement = k == 0 || !lexer.isPunct(t[k - 1], ".")
            if depth == 0 && tok.kind == .name && atStatement {
                if lexer.equals(tok, "import"), k + 1 < t.count, !lexer.isPunct(t[k + 1], "("), !lexer.isPunct(t[k + 1], ".") {
                    k = try importStatement(at: k)
                    continue
                }
                if lexer.equals(tok, "export") {
                    k = try exportStatement(at: k)
                    continue
                }
            }
            k += 1
        }
    }

    /// The rewritten script: strict mode (as modules are), the edits, and the default export
    /// assigned at the end when it was a declaration or an `export { x as default }`.
    func output() -> String {
        var out = "\"use strict\";" + hoisted.joined(separator: " ")
        out.reserveCapacity(lexer.bytes.count + 128)
        var at = 0
        for e in edits.sorted(by: { $0.start < $1.start }) {
            out += String(decoding: lexer.bytes[at..<e.start], as: UTF8.self)
            out += e.text
            at = e.end
        }
        out += String(decoding: lexer.bytes[at...], as: UTF8.self)
        if let name = defaultName { out += "\n;\(ScriptLoader.hiddenDefault) \(name);\n" }
        return out
    }

    private mutating func replace(_ from: Int, _ to: Int, with text: String) {
        let newlines = lexer.bytes[from..<to].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        edits.append((from, to, text + String(repeating: "\n", count: newlines)))
    }

    private mutating func setDefault(_ name: String?, line: Int) throws(ScriptLoadError) {
        if defaultLine != 0 { throw ScriptLoadError("line \(line): more than one default export (the first is on line \(defaultLine))") }
        defaultLine = line
        defaultName = name
    }

    /// Index just past the statement's optional `;`.
    private func afterSemicolon(_ k: Int) -> Int {
        k < lexer.tokens.count && lexer.isPunct(lexer.tokens[k], ";") ? k + 1 : k
    }
    private func end(_ k: Int) -> Int { lexer.tokens[k - 1].end }

    /// `import ... from "spec"` and `import "spec"`.
    private mutating func importStatement(at k0: Int) throws(ScriptLoadError) -> Int {
        isModule = true
        let t = lexer.tokens
        var k = k0 + 1
        var bindings: [String] = []     // each a `const` declaration's left side
        while k < t.count && t[k].kind != .string {
            if lexer.isPunct(t[k], "*") {   // * as ns
                bindings.append(lexer.text(t[k + 2])); k += 3
            } else if lexer.isPunct(t[k], "{") {
                var parts: [String] = []
                k += 1
                while k < t.count && !lexer.isPunct(t[k], "}") {
                    if lexer.isPunct(t[k], ",") { k += 1; continue }
                    let name = lexer.text(t[k])
                    if k + 2 < t.count && lexer.isName(t[k + 1], "as") { parts.append("\(name): \(lexer.text(t[k + 2]))"); k += 3 }
                    else { parts.append(name); k += 1 }
                }
                bindings.append("{ " + parts.joined(separator: ", ") + " }"); k += 1
            } else if t[k].kind == .name && !lexer.equals(t[k], "from") {
                bindings.append("{ default: \(lexer.text(t[k])) }"); k += 1
            } else { k += 1 }
        }
        guard k < t.count else { throw ScriptLoadError("line \(t[k0].line): unfinished import statement") }
        let specTok = t[k]
        let spec = String(lexer.text(specTok).dropFirst().dropLast())
        k += 1
        if k < t.count && (lexer.isName(t[k], "with") || lexer.isName(t[k], "assert")) {  // import attributes
            while k < t.count && !lexer.isPunct(t[k], "}") { k += 1 }
            k += 1
        }
        k = afterSemicolon(k)
        guard ScriptLoader.builtinModules.contains(spec) else {
            unresolvedImports.append((spec, specTok.line))
            return k
        }
        hoisted += bindings.map { "const \($0) = __isoringImport(\"\(spec)\");" }
        replace(t[k0].start, end(k), with: "")
        return k
    }

    /// Every `export` form; re-exports (`export ... from`) need the bundler.
    private mutating func exportStatement(at k0: Int) throws(ScriptLoadError) -> Int {
        isModule = true
        let t = lexer.tokens
        guard k0 + 1 < t.count else { throw ScriptLoadError("line \(t[k0].line): unfinished export statement") }
        let next = t[k0 + 1]
        if lexer.isName(next, "default") {
            var k = k0 + 2
            if k < t.count && lexer.isName(t[k], "async") { k += 1 }
            if k < t.count && (lexer.isName(t[k], "function") || lexer.isName(t[k], "class")) {
                var n = k + 1
                if n < t.count && lexer.isPunct(t[n], "*") { n += 1 }
                if n < t.count && t[n].kind == .name && !lexer.isName(t[n], "extends") {
                    try setDefault(lexer.text(t[n]), line: t[k0].line)  // a declaration: keep its name bound
                    replace(t[k0].start, t[k0 + 2].start, with: "")
                    return k0 + 2
                }
            }
            try setDefault(nil, line: t[k0].line)
            replace(t[k0].start, next.end, with: ScriptLoader.hiddenDefault)
            return k0 + 2
        }
        if lexer.isPunct(next, "{") || lexer.isPunct(next, "*") {
            var k = k0 + 1
            var local: String? = nil
            while k < t.count && !lexer.isPunct(t[k], "}") && !(lexer.isPunct(next, "*") && t[k].kind == .string) {
                if k + 2 < t.count && lexer.isName(t[k + 1], "as") && lexer.isName(t[k + 2], "default") { local = lexer.text(t[k]) }
                k += 1
            }
            if k < t.count && lexer.isPunct(t[k], "}") { k += 1 }
            if k < t.count && (lexer.isName(t[k], "from") || t[k].kind == .string) {
                let s = lexer.isName(t[k], "from") ? k + 1 : k
                unresolvedImports.append((String(lexer.text(t[s]).dropFirst().dropLast()), t[s].line))
                return afterSemicolon(s + 1)
            }
            if let local { try setDefault(local, line: t[k0].line) }
            k = afterSemicolon(k)
            replace(t[k0].start, end(k), with: "")
            return k
        }
        // export const/let/var/function/class/async function: a named export, kept as a declaration.
        replace(t[k0].start, next.start, with: "")
        return k0 + 1
    }
}
