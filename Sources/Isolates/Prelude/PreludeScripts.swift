// PreludeScripts: the prelude sources as JSStringRefs made once per process.
import JSCGlue

/// Every new context evaluates these; converting a Swift String to a JSStringRef copies it to
/// UTF-16 (about 60 KB for URL + Workers), so the conversion is done once and the immutable,
/// thread-safe reference-counted JSStringRef is shared by all contexts (of every thread).
enum PreludeScripts {
    static let workers = JSCString(WorkersPrelude.source)
    static let workersURL = JSCString("isoring:prelude.js")
    static let url = JSCString(URLPrelude.source)
    static let urlURL = JSCString("isoring:url-prelude.js")
}
