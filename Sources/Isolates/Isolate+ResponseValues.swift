// Isolate+ResponseValues: native.respond, the response's status, header block and body from
// the prelude into the settler.
import JSCGlue

extension Isolate {
    /// The longest string body kept for reuse. The prelude reuses bodies of at most 1024
    /// UTF-16 code units, which are at most 3072 UTF-8 bytes, so every body it may repeat
    /// is kept.
    static let sentBodyBytesMax = 3072

    /// native.respond(id, status, statusText, headerBlock, body). The per-request path: no
    /// Swift String is made unless the script set a statusText (the prelude sends `undefined`
    /// for an empty one); a header block of `undefined` and a body of `true` repeat the last
    /// ones received (the prelude's `send` decides, see workers-prelude.js), so a handler that
    /// answers the same headers and text each time costs no string conversion. The header
    /// block is copied out of the context's UTF-8 scratch first, because the body's
    /// conversion reuses it.
    func respond(_ args: JSCArguments) -> JSCValue {
        let c = args.context
        let id = c.toInt(args[0])
        let status = c.toInt(args[1])
        let reason: String? = c.isUndefined(args[2]) || c.isStringEmpty(args[2]) ? nil : c.toString(args[2])
        if !c.isUndefined(args[3]) {
            headerScratch.removeAll(keepingCapacity: true)
            c.withUTF8(of: args[3]) { headerScratch.append(contentsOf: $0) }
        }
        let body = args[4]
        headerScratch.withUnsafeBytes { headers in
            if c.isNull(body) || c.isUndefined(body) {
                settler.complete(id, status: status, reason: reason, headerBlock: headers,
                                 body: UnsafeRawBufferPointer(start: nil, count: 0))
            } else if c.isBoolean(body) {
                sentBody.withUnsafeBytes {
                    settler.complete(id, status: status, reason: reason, headerBlock: headers, body: $0)
                }
            } else if let raw = c.bytes(of: body) {
                settler.complete(id, status: status, reason: reason, headerBlock: headers,
                                 body: UnsafeRawBufferPointer(raw))
            } else {
                c.withUTF8(of: body) { text in
                    if text.count <= Self.sentBodyBytesMax {
                        sentBody.removeAll(keepingCapacity: true)
                        sentBody.append(contentsOf: text)
                    }
                    settler.complete(id, status: status, reason: reason, headerBlock: headers, body: text)
                }
            }
        }
        return c.undefined
    }
}
