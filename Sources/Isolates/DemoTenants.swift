// DemoTenants: the tenants compiled into the binary, served by `isoring serve` with no folder.

/// Small workers showing both handler forms; `hello` also answers bare `http://127.0.0.1:PORT/`.
/// Their text is DemoTenants/NAME.js, embedded in the binary at build time.
public enum DemoTenants {
    public static let defaultTenant = "hello"

    public static let scripts: [String: String] = [
        "hello": hello, "echo": echo, "json": json, "stream": stream,
    ]

    /// Module form, synchronous.
    public static let hello = String(decoding: PackageResources.hello_js, as: UTF8.self)
    /// Service-worker form, async: echoes method, URL, headers and body as JSON.
    public static let echo = String(decoding: PackageResources.echo_js, as: UTF8.self)
    /// Module form with an async handler and URL parsing.
    public static let json = String(decoding: PackageResources.json_js, as: UTF8.self)
    /// A ReadableStream body, sent chunked as the client takes it (`/stream/?chunks=N&size=B`).
    public static let stream = String(decoding: PackageResources.stream_js, as: UTF8.self)
}
