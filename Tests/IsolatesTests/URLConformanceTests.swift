// URLConformanceTests: URLPrelude run in JavaScriptCore against the web-platform-tests URL data.
import CJavaScriptCore
import Foundation
import Isolates
import Testing

/// The WPT data lives beside the package, in shared/conformance; this file is
/// Tests/IsolatesTests/URLConformanceTests.swift, so the package root is three levels up.
private let wptDataPath: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/conformance/wpt-url/urltestdata.json").standardized.path

@Suite struct URLConformanceTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: wptDataPath),
                   "WPT data absent: expected ../shared/conformance/wpt-url/urltestdata.json beside the package"))
    func everyHTTPAndHTTPSCaseInTheWPTDataPasses() throws {
        let json = try String(contentsOfFile: wptDataPath, encoding: .utf8)
        let context = try JSTestContext(evaluating: [URLPrelude.source, try wptRunnerSource])
        context.setGlobal("__wptData", toString: json)
        let summaryJSON = try context.evaluate("runURLTests(__wptData)")
        let summary = try JSONDecoder().decode(WPTSummary.self, from: Data(summaryJSON.utf8))
        print("URL WPT: http/https \(summary.httpPassed)/\(summary.httpTotal), all \(summary.passed)/\(summary.total)")
        for failure in summary.failures { print("  fails: \(failure.detail)") }
        #expect(summary.httpTotal == 433, "the README says 433 cases have an http or https input or base")
        #expect(summary.httpPassed == summary.httpTotal,
                "\(summary.failures.filter(\.http).map(\.detail))")
        #expect(summary.total == 601)
    }

    @Test func preludeDefinesURLInABareJavaScriptCoreContext() throws {
        let bare = try JSTestContext(evaluating: [])
        #expect(try bare.evaluate("typeof URL") == "undefined")
        let context = try JSTestContext(evaluating: [URLPrelude.source])
        #expect(try context.evaluate("typeof URL + ' ' + typeof URLSearchParams") == "function function")
        #expect(try context.evaluate("new URL('HTTP://EXAMPLE.com:80/a/../b?x#y').href")
                == "http://example.com/b?x#y")
    }

    @Test func relativeInputWithoutBaseThrowsTypeError() throws {
        let context = try JSTestContext(evaluating: [URLPrelude.source])
        let result = try context.evaluate("""
            try { new URL('/path'); 'no throw' } catch (e) { e instanceof TypeError ? 'TypeError' : String(e) }
            """)
        #expect(result == "TypeError")
        #expect(try context.evaluate("String(URL.canParse('/path')) + ' ' + URL.parse('/path')") == "false null")
    }

    @Test func searchParamsAndURLStayLinkedBothWays() throws {
        let context = try JSTestContext(evaluating: [URLPrelude.source])
        let result = try context.evaluate("""
            const u = new URL('https://example.com/?b=2&a=1');
            const p = u.searchParams;
            p.append('c', 'x y');
            const afterAppend = u.search;
            p.sort();
            const afterSort = u.href;
            u.search = '?z=9';
            const afterSearch = p.get('z') + ',' + p.size;
            p.delete('z');
            [afterAppend, afterSort, afterSearch, u.href].join(' | ')
            """)
        #expect(result == "?b=2&a=1&c=x+y | https://example.com/?a=1&b=2&c=x+y | 9,1 | https://example.com/")
    }

    @Test func setterStateOverridesFollowTheSpec() throws {
        let context = try JSTestContext(evaluating: [URLPrelude.source])
        let result = try context.evaluate("""
            const u = new URL('http://user@example.net:8080/p?q#f');
            u.protocol = 'https';  u.port = '443';  u.hostname = 'EXAMPLE.org';
            const a = u.href;
            u.protocol = 'foo';  u.host = 'x:1:2';  u.pathname = '/a b/../c';  u.hash = '';
            [a, u.href].join(' | ')
            """)
        #expect(result == "https://user@example.org/p?q#f | https://user@x:1/c?q")
    }

    @Test func nonASCIIDomainsBecomePunycode() throws {
        let context = try JSTestContext(evaluating: [URLPrelude.source])
        #expect(try context.evaluate("new URL('http://bücher.example/').host") == "xn--bcher-kva.example")
        #expect(try context.evaluate("new URL('http://www。ＥＸＡＭＰＬＥ．com').host") == "www.example.com")
        #expect(try context.evaluate("URL.canParse('http://xn--a.example/')") == "false")
    }
}

private struct WPTSummary: Decodable {
    struct Failure: Decodable { let http: Bool; let detail: String }
    let total: Int
    let passed: Int
    let httpTotal: Int
    let httpPassed: Int
    let failures: [Failure]
}

/// All the WPT logic runs inside JavaScript, so the Swift side only moves one string each way.
/// The runner is JavaScript/url-wpt-runner.js beside this file; Scripts/dev/url-wpt.js runs the
/// same file under node.
private var wptRunnerSource: String {
    get throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("JavaScript/url-wpt-runner.js").path
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// A bare JavaScriptCore global context through the raw C API; JSCGlue is written elsewhere,
/// and these tests want nothing more than evaluate-and-stringify.
private final class JSTestContext {
    struct ScriptError: Error, CustomStringConvertible { let description: String }

    private let context: JSGlobalContextRef

    init(evaluating scripts: [String]) throws {
        context = JSGlobalContextCreate(nil)
        for script in scripts { _ = try evaluate(script) }
    }

    deinit { JSGlobalContextRelease(context) }

    /// Runs `script` and returns its completion value converted with JS `String(...)`.
    func evaluate(_ script: String) throws -> String {
        let source = JSStringCreateWithUTF8CString(script)
        defer { JSStringRelease(source) }
        var exception: JSValueRef?
        let value = JSEvaluateScript(context, source, nil, nil, 1, &exception)
        if let exception { throw ScriptError(description: "JS exception: " + string(of: exception)) }
        guard let value else { throw ScriptError(description: "JSEvaluateScript returned nothing") }
        return string(of: value)
    }

    func setGlobal(_ name: String, toString text: String) {
        let nameRef = JSStringCreateWithUTF8CString(name)
        let textRef = JSStringCreateWithUTF8CString(text)
        defer { JSStringRelease(nameRef); JSStringRelease(textRef) }
        let global = JSContextGetGlobalObject(context)
        JSObjectSetProperty(context, global, nameRef, JSValueMakeString(context, textRef),
                            JSPropertyAttributes(kJSPropertyAttributeNone), nil)
    }

    private func string(of value: JSValueRef) -> String {
        guard let ref = JSValueToStringCopy(context, value, nil) else { return "<unconvertible>" }
        defer { JSStringRelease(ref) }
        let capacity = JSStringGetMaximumUTF8CStringSize(ref)
        var bytes = [CChar](repeating: 0, count: capacity)
        let written = JSStringGetUTF8CString(ref, &bytes, capacity)  // includes the NUL
        return String(decoding: bytes.prefix(max(written - 1, 0)).map { UInt8(bitPattern: $0) },
                      as: UTF8.self)
    }
}
