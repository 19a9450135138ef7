// ScriptLoader: turns a Workers module script into a classic script JSC's C API can evaluate.
import Tenants

/// A script ready for JSEvaluateScript.
struct PreparedScript {
    enum Form { case module, serviceWorker }
    var source: String
    var form: Form
}

/// The C API has no module loader, so the single-module form is rewritten: the one
/// `export default` becomes an assignment to a hidden global the prelude picks up, and the
/// script runs in strict mode as modules do. `import` and other `export` forms are refused
/// with the line they are on. The scan is a small lexer (comments, strings and template
/// literals are skipped; regular-expression literals are not recognised, so a quote inside a
/// regex literal can confuse it) looking at the first token of each line.
enum ScriptLoader {
    static let hiddenDefault = "globalThis.__isoringDefaultExport ="

    static func prepare(_ source: String) throws(ScriptLoadError) -> PreparedScript {
        let bytes = Array(source.utf8)
        var defaultAt: Int? = nil
        var i = 0
        var line = 1
        var lineStart = true          // only whitespace so far on this line (in code)
        var templateDepth: [Int] = []  // brace depth at each `${` inside a template literal
        var braces = 0
        let n = bytes.count

        func startsWord(_ word: String, at k: Int) -> Bool {
            let w = Array(word.utf8)
            guard k + w.count <= n, Array(bytes[k..<(k + w.count)]) == w else { return false }
            if k + w.count == n { return true }
            let next = bytes[k + w.count]
            return !(isIdent(next))
        }
        func nextToken(after k: Int) -> Int {
            var j = k
            while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
            return j
        }
        func lineText(_ k: Int) -> String {
            var e = k
            while e < n && bytes[e] != 0x0A && e - k < 60 { e += 1 }
            return String(decoding: bytes[k..<e], as: UTF8.self)
        }

        while i < n {
            let c = bytes[i]
            if c == 0x0A { line += 1; lineStart = true; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
            // comments
            if c == 0x2F, i + 1 < n, bytes[i + 1] == 0x2F {
                while i < n && bytes[i] != 0x0A { i += 1 }
                continue
            }
            if c == 0x2F, i + 1 < n, bytes[i + 1] == 0x2A {
                i += 2
                while i + 1 < n && !(bytes[i] == 0x2A && bytes[i + 1] == 0x2F) {
                    if bytes[i] == 0x0A { line += 1 }
                    i += 1
                }
                i += 2
                continue
            }
            if lineStart && isIdentStart(c) {
                if startsWord("import", at: i) {
                    let next = nextToken(after: i + 6)
                    let dynamic = next < n && (bytes[next] == 0x28 || bytes[next] == 0x2E)
                    if !dynamic {
                        throw ScriptLoadError("line \(line): `import` is not supported (the C API cannot load modules); bundle the worker into one file without imports: \(lineText(i))")
                    }
                } else if startsWord("export", at: i) {
                    let next = nextToken(after: i + 6)
                    if startsWord("default", at: next) {
                        if defaultAt != nil {
                            throw ScriptLoadError("line \(line): more than one `export default`")
                        }
                        if braces != 0 {
                            throw ScriptLoadError("line \(line): `export default` must be at the top level")
                        }
                        defaultAt = i
                    } else {
                        throw ScriptLoadError("line \(line): only `export default` is supported, found `\(lineText(i))`")
                    }
                }
            }
            lineStart = false
            switch c {
            case 0x22, 0x27: // string literal
                i += 1
                while i < n && bytes[i] != c && bytes[i] != 0x0A {
                    if bytes[i] == 0x5C { i += 1 }
                    i += 1
                }
                i += 1
                continue
            case 0x60: // template literal: scan to the closing backtick or a `${`
                i = skipTemplate(bytes, from: i + 1, line: &line)
                if i < n && bytes[i] == 0x7B { templateDepth.append(braces); braces += 1 }
                i += 1
                continue
            case 0x7B: braces += 1
            case 0x7D:
                braces -= 1
                if let top = templateDepth.last, top == braces {
                    templateDepth.removeLast()
                    i = skipTemplate(bytes, from: i + 1, line: &line)
                    if i < n && bytes[i] == 0x7B { templateDepth.append(braces); braces += 1 }
                    i += 1
                    continue
                }
            default: break
            }
            i += 1
        }

        guard let at = defaultAt else { return PreparedScript(source: source, form: .serviceWorker) }
        var out = "\"use strict\";"
        out.reserveCapacity(source.utf8.count + 64)
        out += String(decoding: bytes[0..<at], as: UTF8.self)
        out += hiddenDefault
        let afterKeyword = bytes.index(at, offsetBy: 0)
        var k = afterKeyword + 6
        while k < n && (bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x0D) {
            if bytes[k] == 0x0A { out += "\n" }
            k += 1
        }
        k += 7 // "default"
        out += String(decoding: bytes[k..<n], as: UTF8.self)
        return PreparedScript(source: out, form: .module)
    }

    /// Returns the index of the closing backtick or of the `{` of a `${`.
    static func skipTemplate(_ bytes: [UInt8], from start: Int, line: inout Int) -> Int {
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x5C { i += 2; continue }
            if b == 0x0A { line += 1 }
            if b == 0x60 { return i }
            if b == 0x24, i + 1 < bytes.count, bytes[i + 1] == 0x7B { return i + 1 }
            i += 1
        }
        return i
    }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x24
    }
    static func isIdent(_ b: UInt8) -> Bool { isIdentStart(b) || (b >= 0x30 && b <= 0x39) || b >= 0x80 }
}
