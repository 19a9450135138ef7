// JSLexer: splits JavaScript source into tokens well enough to find its top-level imports and
// exports: comments, strings, template literals with nested `${}`, and regular-expression
// literals told apart from division.
import Tenants

/// One token: its kind, its byte range in the source and the line it starts on.
struct JSToken {
    enum Kind: Equatable { case name, punct, string, template, regex, number }
    var kind: Kind
    var start: Int
    var end: Int
    var line: Int
}

/// ECMAScript's lexical grammar is context-dependent: `/` starts a regular expression where an
/// expression may start and is division after an operand. The lexer decides from the previous
/// token as engines' pre-parsers do: after a name (except keywords such as `return` or
/// `typeof`), a number, a string, `]` or `)` it is division, with two exceptions tracked on
/// stacks: `)` closing `if (...)`/`while (...)`/`for (...)` and `}` closing a block both let a
/// statement, so a regex, follow.
struct JSLexer {
    let bytes: [UInt8]
    private(set) var tokens: [JSToken] = []

    init(_ source: String) { bytes = Array(source.utf8) }

    // Compared as bytes (no String per token: a 1 MB bundle has about 250,000 tokens).
    private static let expressionKeywords: [StaticString] = [
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
        "do", "else", "yield", "await", "extends",
    ]
    private static let controlKeywords: [StaticString] = ["if", "while", "for", "with"]

    func text(_ t: JSToken) -> String { String(decoding: bytes[t.start..<t.end], as: UTF8.self) }
    /// Is the token's text exactly `word`?
    func equals(_ t: JSToken, _ word: StaticString) -> Bool {
        guard t.end - t.start == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount where bytes[t.start + i] != w[i] { return false }
        return true
    }
    func isName(_ t: JSToken, _ word: StaticString) -> Bool { t.kind == .name && equals(t, word) }
    func isPunct(_ t: JSToken, _ p: StaticString) -> Bool { t.kind == .punct && equals(t, p) }
    private func isOneOf(_ t: JSToken, _ words: [StaticString]) -> Bool {
        let n = t.end - t.start
        guard n >= 2 && n <= 10 else { return false }
        for w in words where equals(t, w) { return true }
        return false
    }

    /// Tokenizes the whole source; throws on an unterminated string, template, comment or regex.
    mutating func run() throws(ScriptLoadError) {
        let n = bytes.count
        var i = 0, line = 1
        tokens.reserveCapacity(n / 5)   // about one token per 4 to 6 bytes of bundled code
        var parens: [Bool] = []        // per open `(`: did a control keyword precede it?
        var braces: [Bool] = []        // per open `{`: is it a block (true) or an expression?
        var templates: [Int] = []      // brace depth at each open `${`
        var regexOK = true             // may a regex start here?
        if n >= 2 && bytes[0] == 0x23 && bytes[1] == 0x21 { while i < n && bytes[i] != 0x0A { i += 1 } }  // #!
        func emit(_ kind: JSToken.Kind, _ s: Int, _ l: Int) { tokens.append(JSToken(kind: kind, start: s, end: i, line: l)) }
        while i < n {
            let c = bytes[i]
            if c == 0x0A { line += 1; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0B || c == 0x0C { i += 1; continue }
            let s = i, l = line
            if c == 0x2F && i + 1 < n && bytes[i + 1] == 0x2F { while i < n && bytes[i] != 0x0A { i += 1 }; continue }
            if c == 0x2F && i + 1 < n && bytes[i + 1] == 0x2A {
                i += 2
                while i + 1 < n && !(bytes[i] == 0x2A && bytes[i + 1] == 0x2F) { if bytes[i] == 0x0A { line += 1 }; i += 1 }
                if i + 1 >= n { throw ScriptLoadError("line \(l): unterminated comment") }
                i += 2
                continue
            }
            if Self.isIdentStart(c) || c == 0x23 || c == 0x5C {  // names, #private, \u escapes
                i += 1
                while i < n && (Self.isIdent(bytes[i]) || bytes[i] == 0x5C) { i += 1 }
                emit(.name, s, l)
                regexOK = isOneOf(tokens[tokens.count - 1], Self.expressionKeywords)
                continue
            }
            if (c >= 0x30 && c <= 0x39) || (c == 0x2E && i + 1 < n && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) {
                i += 1
                while i < n && (Self.isIdent(bytes[i]) || bytes[i] == 0x2E
                                || ((bytes[i] == 0x2B || bytes[i] == 0x2D) && (bytes[i - 1] | 0x20) == 0x65 && bytes[s] != 0x30)) { i += 1 }
                emit(.number, s, l); regexOK = false; continue
            }
            switch c {
            case 0x22, 0x27:
                i += 1
                while i < n && bytes[i] != c {
                    if bytes[i] == 0x5C { i += 1; if i < n && bytes[i] == 0x0A { line += 1 } }
                    else if bytes[i] == 0x0A { throw ScriptLoadError("line \(l): unterminated string literal") }
                    i += 1
                }
                if i >= n { throw ScriptLoadError("line \(l): unterminated string literal") }
                i += 1
                emit(.string, s, l); regexOK = false
            case 0x60:
                i += 1
                try scanTemplate(&i, &line, from: l)
                if bytes[i - 1] == 0x7B { templates.append(braces.count); braces.append(false); regexOK = true } else { regexOK = false }
                emit(.template, s, l)
            case 0x7D where templates.last == braces.count - 1:
                templates.removeLast(); braces.removeLast()
                i += 1
                try scanTemplate(&i, &line, from: l)
                if bytes[i - 1] == 0x7B { templates.append(braces.count); braces.append(false); regexOK = true } else { regexOK = false }
                emit(.template, s, l)
            case 0x2F where regexOK:
                i += 1
                var inClass = false
                while i < n && (bytes[i] != 0x2F || inClass) {
                    if bytes[i] == 0x0A { throw ScriptLoadError("line \(l): unterminated regular expression literal") }
                    if bytes[i] == 0x5C { i += 1 } else if bytes[i] == 0x5B { inClass = true } else if bytes[i] == 0x5D { inClass = false }
                    i += 1
                }
                if i >= n { throw ScriptLoadError("line \(l): unterminated regular expression literal") }
                i += 1
                while i < n && Self.isIdent(bytes[i]) { i += 1 }
                emit(.regex, s, l); regexOK = false
            default:
                // Punctuators: `=>`, `++` and `--` matter for what follows; the rest are one byte.
                i += 1
                if i < n && ((c == 0x3D && bytes[i] == 0x3E) || (c == 0x2B && bytes[i] == 0x2B) || (c == 0x2D && bytes[i] == 0x2D)) { i += 1 }
                let prev = tokens.last
                emit(.punct, s, l)
                switch c {
                case 0x28:
                    parens.append(prev.map { $0.kind == .name && isOneOf($0, Self.controlKeywords) } ?? false)
                    regexOK = true
                case 0x29: regexOK = parens.popLast() ?? false
                case 0x5D: regexOK = false
                case 0x7B:
                    braces.append(isBlockStart(after: prev))
                    regexOK = true
                case 0x7D: regexOK = braces.popLast() ?? true
                default: regexOK = !(i - s == 2 && c != 0x3D)  // after `a++`/`a--` comes division
                }
            }
        }
        if !templates.isEmpty { throw ScriptLoadError("unterminated template literal") }
    }

    /// Scans a template literal's text from just after "`" or "}" to just after the closing
    /// backtick or a `${`.
    private func scanTemplate(_ i: inout Int, _ line: inout Int, from l: Int) throws(ScriptLoadError) {
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x5C { i += 2; continue }
            if b == 0x0A { line += 1 }
            if b == 0x60 { i += 1; return }
            if b == 0x24 && i + 1 < n && bytes[i + 1] == 0x7B { i += 2; return }
            i += 1
        }
        throw ScriptLoadError("line \(l): unterminated template literal")
    }

    /// Does a `{` after `prev` open a block (so a regex may follow its `}`)? Yes at a statement
    /// start, after `)` (function and control bodies), `=>` and block keywords, and after a
    /// name that is not an expression keyword (`class X {`, `class X extends Y {`).
    private func isBlockStart(after prev: JSToken?) -> Bool {
        guard let p = prev else { return true }
        switch p.kind {
        case .name: return !isOneOf(p, Self.expressionKeywords) || equals(p, "else") || equals(p, "do")
        case .punct: return [")", ";", "{", "}", "=>"].contains { equals(p, $0) }
        default: return false
        }
    }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x24 || b >= 0x80
    }
    static func isIdent(_ b: UInt8) -> Bool { isIdentStart(b) || (b >= 0x30 && b <= 0x39) }
}
