// ScriptLoaderTests: the lexer and the module rewrite: every default-export form, named
// exports, built-in imports, and what needs the bundler.
import Testing
@testable import Isolates
import Tenants

private func lex(_ s: String) throws -> [String] {
    var l = JSLexer(s)
    try l.run()
    return l.tokens.map { "\($0.kind):\(l.text($0))" }
}

@Test func regexLiteralsAreToldApartFromDivision() throws {
    #expect(try lex("a = b / c / d") == ["name:a", "punct:=", "name:b", "punct:/", "name:c", "punct:/", "name:d"])
    #expect(try lex("x = /[/'\"]+/g.test(s)").contains("regex:/[/'\"]+/g"))
    #expect(try lex("return /a/.test(s)").contains("regex:/a/"))
    #expect(try lex("if (x) /re/.exec(y)").contains("regex:/re/"))
    #expect(try lex("(a + b) / 2").contains("punct:/"))
    #expect(try lex("}\n/re`'/.test(q)").contains("regex:/re`'/"))        // after a block
    #expect(try lex("({}) / 2").contains("punct:/"))
    #expect(try lex("i++ / 2").contains("punct:/"))
    #expect(try lex("f(x => /b/)").contains("regex:/b/"))
}

@Test func templateLiteralsNestAndStringsHideKeywords() throws {
    let t = try lex("`a ${ `b ${ \"}\" } c` } d` + 'export default x'")
    #expect(t.filter { $0.hasPrefix("template:") }.count == 4)
    #expect(t.last == "string:'export default x'")
    #expect(throws: ScriptLoadError.self) { try lex("const s = 'open") }
    #expect(throws: ScriptLoadError.self) { try lex("`a ${ b ") }
}

@Test func exportDefaultExpressionBecomesHiddenAssignment() throws {
    let p = try ScriptLoader.prepare("const x = 1;\nexport default { fetch() {} };\n")
    #expect(p.form == .module)
    #expect(p.source.contains("globalThis.__isoringDefaultExport = { fetch() {} }"))
    #expect(!p.source.contains("export"))
}

@Test func everyDefaultExportFormIsRecognised() throws {
    let forms = [
        "const app = {};\nexport default app;",
        "const app = {};\nexport { app as default };",
        "const a = 1, b = {};\nexport { a, b as default };",
        "export default class Worker { fetch() {} }",
        "export default function handler() {}",
        "export default async function handler() {}",
        "export default class extends Object {}",
    ]
    for src in forms {
        let p = try ScriptLoader.prepare(src)
        #expect(p.form == .module, "\(src)")
        #expect(p.source.contains("__isoringDefaultExport"), "\(src)")
        #expect(!p.source.contains("export "), "\(src) -> \(p.source)")
    }
    #expect(try ScriptLoader.prepare("export default class Worker {}").source.hasSuffix("__isoringDefaultExport = Worker;\n"))
    #expect(try ScriptLoader.prepare("const a = 1, b = {};\nexport { a, b as default };").source.contains("__isoringDefaultExport = b;"))
}

@Test func namedExportsAreKeptAsDeclarations() throws {
    let p = try ScriptLoader.prepare("export const handler = {};\nexport function f() {}\nexport { handler as h };\nexport default handler;")
    #expect(p.source.contains("const handler = {};"))
    #expect(p.source.contains("function f() {}"))
    #expect(!p.source.contains("export"))
}

@Test func rewriteKeepsLineNumbers() throws {
    let src = "const a = 1;\nexport {\n  a,\n  a as default,\n};\nthrow new Error('line 6');"
    let p = try ScriptLoader.prepare(src)
    let lines = p.source.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[5].contains("line 6"))
}

@Test func twoDefaultExportsAreRefusedWithBothLines() {
    #expect {
        _ = try ScriptLoader.prepare("export default {};\nconst x = {};\nexport { x as default };")
    } throws: { ($0 as? ScriptLoadError)?.message.contains("line 3: more than one default export (the first is on line 1)") == true }
}

@Test func builtInImportsBecomeHoistedConstants() throws {
    let p = try ScriptLoader.prepare("const x = 1;\nimport { Buffer as B } from 'node:buffer';\nimport buf, * as all from \"buffer\";\nexport default {};")
    let first = p.source.split(separator: "\n")[0]
    #expect(first.contains("const { Buffer: B } = __isoringImport(\"node:buffer\");"))
    #expect(first.contains("const { default: buf } = __isoringImport(\"buffer\");"))
    #expect(first.contains("const all = __isoringImport(\"buffer\");"))
    #expect(!p.source.contains("import {"))
}

@Test func otherImportsAndReExportsNeedTheBundler() throws {
    #expect(try ScriptLoader.unresolvedImports(in: "import { a } from './a.js';\nexport * from 'pkg';\nexport { b } from './b.js';") == ["./a.js", "pkg", "./b.js"])
    #expect(try ScriptLoader.unresolvedImports(in: "import { Buffer } from 'node:buffer'; import('x'); x.import; export default {}").isEmpty)
    #expect {
        _ = try ScriptLoader.prepare("// hi\nimport { a } from './a.js';\nexport default {};")
    } throws: { ($0 as? ScriptLoadError)?.message.contains("line 2: imports ./a.js, which is not built in") == true }
}

@Test func keywordsInsideStringsCommentsRegexesAndTemplatesAreIgnored() throws {
    let src = """
    /* import x from 'y'
    export const z = 1 */
    const s = "import a from 'b'";
    const r = /export default|import x from "y"/;
    const t = `
    import ${ "x" } from
    export const q`;
    export default { fetch() { return `${1}
    export const r`; } };
    """
    let p = try ScriptLoader.prepare(src)
    #expect(p.form == .module)
    #expect(p.source.contains("const s = \"import a from 'b'\""))
}

@Test func dynamicImportIsLeftToTheEngine() throws {
    let p = try ScriptLoader.prepare("import('x');\n")
    #expect(p.form == .serviceWorker)
}
