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

    /// The scripts the Workers prelude loads on first use of their globals (its
    /// `lazyGlobals`), by name: Extensions/ext-NAME.js, embedded at build time.
    static let extensions: [String: (source: JSCString, url: JSCString)] = {
        let files: [(String, [UInt8])] = [
            ("events", PackageResources.ext_events_js), ("forms", PackageResources.ext_forms_js),
            ("buffer", PackageResources.ext_buffer_js), ("platform", PackageResources.ext_platform_js),
            ("subtle", PackageResources.ext_subtle_js), ("subtle-keys", PackageResources.ext_subtle_keys_js),
            ("urlpattern", PackageResources.ext_urlpattern_js), ("urlpattern-parser", PackageResources.ext_urlpattern_parser_js),
            ("fetch", PackageResources.ext_fetch_js), ("streams", PackageResources.ext_streams_js),
            ("basics", PackageResources.ext_basics_js),
        ]
        var out: [String: (source: JSCString, url: JSCString)] = [:]
        for (name, bytes) in files {
            out[name] = (JSCString(String(decoding: bytes, as: UTF8.self)), JSCString("isoring:ext-\(name).js"))
        }
        return out
    }()
}
