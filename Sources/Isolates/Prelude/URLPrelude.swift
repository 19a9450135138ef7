// URLPrelude: the WHATWG URL Standard (URL, URLSearchParams) in plain JavaScript for JSC contexts.

/// JavaScriptCore alone has no `URL`: it lives in WebCore. Tenants' handlers parse request URLs,
/// so a context evaluates this classic script (url-prelude.js, embedded in the binary at build
/// time) on the first use of URL; it defines `globalThis.URL` and `globalThis.URLSearchParams`
/// as the URL Standard says (checked against the web-platform-tests data in
/// URLConformanceTests). It is plain ES2020 with no dependencies, written against the spec's
/// state machine so each step can be compared with the spec text. Hosts with non-ASCII labels
/// use a pragmatic UTS #46: NFKC plus lower-casing instead of the full mapping table.
public enum URLPrelude {
    /// The script; evaluate it once per global context before any tenant code uses URL.
    public static let source = String(decoding: PackageResources.url_prelude_js, as: UTF8.self)
}
