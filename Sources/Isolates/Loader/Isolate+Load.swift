// Isolate+Load: runs a tenant's script in its isolate.
import JSCGlue
import Tenants

extension Isolate {
    /// Compiles and runs the tenant's script and checks it registered a fetch handler. A
    /// syntax error is reported as JSC's module parser sees the original text (its message
    /// and line), not as the rewritten classic script's error.
    func load(script: String) throws(ScriptLoadError) {
        let prepared: PreparedScript
        do {
            prepared = try ScriptLoader.prepare(script)
        } catch {
            if let syntax = JSCModuleSyntax.check(script, sourceURL: "\(name).js") { throw Self.describe(syntax) }
            throw error
        }
        let ctx = context
        group.terminationRequested = false
        do {
            _ = try ctx.evaluate(prepared.source, sourceURL: "\(name).js")
            _ = try ctx.call(installFn!, ctx.boolean(prepared.form == .module))
        } catch {
            if error.terminated { throw ScriptLoadError("script exceeded the CPU time limit (\(cpuLimitMs) ms) while loading") }
            if error.name == "SyntaxError", let syntax = JSCModuleSyntax.check(script, sourceURL: "\(name).js") {
                throw Self.describe(syntax)
            }
            throw ScriptLoadError(error.description)
        }
        ctx.unprotect(installFn!)
        installFn = nil
    }

    private static func describe(_ e: JSCSyntaxError) -> ScriptLoadError {
        ScriptLoadError("line \(e.line): SyntaxError: \(e.message)")
    }
}
