// Isolate+RequestValues: the request's method, URL and header block as JavaScript values, made
// only when they differ from the previous request's.
import Glibc
import HTTP1
import JSCGlue

/// What the isolate last passed to the prelude's dispatch. A keep-alive client repeats its
/// host and header block on every request, and often its target: a value equal to the last
/// one travels as `undefined` and the prelude reuses the string it kept (workers-prelude.js,
/// `dispatch`), so no JSString is made and nothing is converted to UTF-16. JavaScript strings
/// are immutable, so sharing one is invisible to the handler.
struct RequestValueMemo {
    /// "http://host", or empty for an absolute-form target (which is the URL itself).
    var prefix: [UInt8] = []
    var target: [UInt8] = []
    /// The head's bytes from the first field's name to the last field's value: the block is
    /// a function of them, so equal bytes mean an equal block, without building it.
    var headers: [UInt8] = []
    /// False until the prelude holds all three, and again after a dispatch that threw (a
    /// termination may have come before the prelude kept them).
    var valid = false

    mutating func forget() { valid = false }
}

extension Isolate {
    /// Methods the prelude holds as strings (METHODS in workers-prelude.js, in this order);
    /// one of them travels as its index.
    static let knownMethods: [[UInt8]] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"].map { Array($0.utf8) }

    func methodValue(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer) -> JSCValue {
        let method = UnsafeRawBufferPointer(rebasing: bytes[request.method])
        for i in 0..<Self.knownMethods.count where Self.knownMethods[i].equals(method) {
            return context.number(i)
        }
        return context.string(utf8: method)
    }

    /// The URL as prefix and target; each `undefined` when it repeats the last request's.
    func urlValues(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer) -> (prefix: JSCValue, target: JSCValue) {
        let target = UnsafeRawBufferPointer(rebasing: bytes[request.target])
        scratch.removeAll(keepingCapacity: true)
        if target.first == UInt8(ascii: "/") || target.first == UInt8(ascii: "*") {
            scratch.append(contentsOf: "http://".utf8)
            if let host = request.host, !host.isEmpty {
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[host]))
            } else {
                scratch.append(contentsOf: "localhost".utf8)
            }
        }
        let valid = requestMemo.valid
        let prefix = scratch.withUnsafeBytes { memoised(&requestMemo.prefix, $0, valid) }
        return (prefix, memoised(&requestMemo.target, target, valid))
    }

    /// "name:value\n" per field; the prelude parses it only if the handler reads headers.
    /// `undefined` when it repeats the last request's.
    func headerBlockValue(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer) -> JSCValue {
        let fields = request.headers
        let region = fields.isEmpty ? UnsafeRawBufferPointer(start: nil, count: 0)
            : UnsafeRawBufferPointer(rebasing: bytes[fields[0].name.lowerBound..<fields[fields.count - 1].value.upperBound])
        // The header block is the last of the three: from here the prelude holds them all.
        defer { requestMemo.valid = true }
        if requestMemo.valid && requestMemo.headers.equals(region) { return context.undefined }
        requestMemo.headers.removeAll(keepingCapacity: true)
        requestMemo.headers.append(contentsOf: region)
        scratch.removeAll(keepingCapacity: true)
        for field in fields {
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.name]))
            scratch.append(UInt8(ascii: ":"))
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.value]))
            scratch.append(UInt8(ascii: "\n"))
        }
        return scratch.withUnsafeBytes { context.string(utf8: $0) }
    }

    /// `undefined` when the memo is `valid` and `bytes` equal `kept`, else the string, kept.
    private func memoised(_ kept: inout [UInt8], _ bytes: UnsafeRawBufferPointer, _ valid: Bool) -> JSCValue {
        if valid && kept.equals(bytes) { return context.undefined }
        kept.removeAll(keepingCapacity: true)
        kept.append(contentsOf: bytes)
        return context.string(utf8: bytes)
    }
}

extension Array where Element == UInt8 {
    /// Byte equality with `other` (memcmp).
    func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        if count == 0 { return true }
        return withUnsafeBytes { memcmp($0.baseAddress!, other.baseAddress!, count) == 0 }
    }
}
