// JSCModuleSyntax: JavaScriptCore's own parser, in module mode, as a syntax checker.
import CJavaScriptCore

/// A syntax error as JSC's module parser reports it.
public struct JSCSyntaxError: Error, Sendable {
    public var message: String
    public var line: Int
}

public enum JSCModuleSyntax {
    /// Parses `source` as an ECMAScript module (imports, exports and top-level await
    /// allowed) without running it; nil when it parses. Uses a GLib-API context of its own
    /// (a fresh virtual machine, a few milliseconds), so call it on the error path only.
    public static func check(_ source: String, sourceURL: String) -> JSCSyntaxError? {
        guard !source.isEmpty, let context = jsc_context_new() else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        var exception: OpaquePointer? = nil
        let utf8 = Array(source.utf8)
        let result = utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) {
                jsc_context_check_syntax(context, $0, buf.count, 1, sourceURL, 1, &exception)
            }
        }
        guard result != 0 else { return nil }
        defer { if let exception { g_object_unref(UnsafeMutableRawPointer(exception)) } }
        guard let exception else { return JSCSyntaxError(message: "syntax error", line: 0) }
        let message = jsc_exception_get_message(exception).map { String(cString: $0) } ?? "syntax error"
        return JSCSyntaxError(message: message, line: Int(jsc_exception_get_line_number(exception)))
    }
}
