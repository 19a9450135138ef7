// ScriptLoaderTests: the module-form rewrite and what it refuses.
import Testing
@testable import Isolates
import Tenants

@Test func exportDefaultBecomesHiddenAssignment() throws {
    let p = try ScriptLoader.prepare("const x = 1;\nexport default { fetch() {} };\n")
    #expect(p.form == .module)
    #expect(p.source.contains("globalThis.__isoringDefaultExport = { fetch() {} }"))
    #expect(!p.source.contains("export"))
}

@Test func scriptWithoutExportIsServiceWorkerForm() throws {
    let p = try ScriptLoader.prepare("addEventListener('fetch', e => e.respondWith(new Response('x')));")
    #expect(p.form == .serviceWorker)
}

@Test func importIsRefusedWithItsLine() {
    #expect {
        _ = try ScriptLoader.prepare("// hi\nimport { a } from './a.js';\nexport default {};")
    } throws: { ($0 as? ScriptLoadError)?.message.contains("line 2: `import` is not supported") == true }
}

@Test func otherExportFormsAreRefused() {
    #expect {
        _ = try ScriptLoader.prepare("export const handler = {};")
    } throws: { ($0 as? ScriptLoadError)?.message.contains("only `export default` is supported") == true }
    #expect(throws: ScriptLoadError.self) { _ = try ScriptLoader.prepare("export default {};\nexport default {};") }
}

@Test func keywordsInsideStringsCommentsAndTemplatesAreIgnored() throws {
    let src = """
    /* import x from 'y'
    export const z = 1 */
    const s = "import a from 'b'";
    const t = `
    import ${ "x" } from
    export const q`;
    export default { fetch() { return `${1}
    export const r`; } };
    """
    let p = try ScriptLoader.prepare(src)
    #expect(p.form == .module)
}

@Test func dynamicImportIsLeftToTheEngine() throws {
    let p = try ScriptLoader.prepare("import('x');\n")
    #expect(p.form == .serviceWorker)
}
