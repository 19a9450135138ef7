// Isolate+RequestValues: the request's URL and header block as JavaScript strings.
import HTTP1
import JSCGlue

extension Isolate {
    func makeURL(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer) -> JSCValue {
        let target = UnsafeRawBufferPointer(rebasing: bytes[request.target])
        if target.first != UInt8(ascii: "/") && target.first != UInt8(ascii: "*") {
            return context.string(utf8: target) // absolute form: already a URL
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: "http://".utf8)
        if let host = request.host, !host.isEmpty {
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[host]))
        } else {
            scratch.append(contentsOf: "localhost".utf8)
        }
        scratch.append(contentsOf: target)
        return scratch.withUnsafeBytes { context.string(utf8: $0) }
    }

    /// "name:value\n" per field; the prelude parses it only if the handler reads headers.
    func makeHeaderBlock(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer) -> JSCValue {
        scratch.removeAll(keepingCapacity: true)
        for field in request.headers {
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.name]))
            scratch.append(UInt8(ascii: ":"))
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.value]))
            scratch.append(UInt8(ascii: "\n"))
        }
        return scratch.withUnsafeBytes { context.string(utf8: $0) }
    }
}
