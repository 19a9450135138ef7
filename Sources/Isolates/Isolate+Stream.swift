// Isolate+Stream: a Response whose body is a ReadableStream goes out as it is produced: the prelude's
// pump reads the stream and hands each chunk to the loop through the request's ResponseHandle,
// stopping when the connection's unsent output is at the high-water mark (Responding's
// ResponseStreaming.swift) until the loop says it drained.
import HTTP1
import JSCGlue
import Responding

/// One streamed response: what its head says and the prelude's pump, called whenever the
/// connection can take more (the first call writes the head).
final class ResponseStream: ResponseDrainClient {
    unowned let isolate: Isolate
    let request: Int
    let handle: ResponseHandle
    /// The prelude's `(gone) => ...` for this stream, protected until the stream ends.
    let pump: JSCValue
    let status: Int
    let reason: String?
    let headerBlock: [UInt8]
    var begun = false

    init(isolate: Isolate, request: Int, handle: ResponseHandle, pump: JSCValue, status: Int,
         reason: String?, headerBlock: [UInt8]) {
        self.isolate = isolate
        self.request = request
        self.handle = handle
        self.pump = pump
        self.status = status
        self.reason = reason
        self.headerBlock = headerBlock
    }

    func outputDrained(_ handle: ResponseHandle) { isolate.streamDrained(self) }
}

extension Isolate {
    /// The loop can take more of `stream` (or its client is gone): begins the response the
    /// first time (and ends it there when it has no body: HEAD), then lets the pump read on,
    /// inside an entry of the stream's request (its CPU limit, its clock), after which an ended
    /// stream's end goes to the loop.
    func streamDrained(_ stream: ResponseStream) {
        guard async.streams[stream.request] === stream else { return }
        let handle = stream.handle
        let framing = handle.streamFraming(status: stream.status)
        enter(stream.request, handle) { ctx throws(JSCError) in
            var open = true
            if !stream.begun {
                stream.begun = true
                open = handle.begin(status: stream.status) { out in
                    stream.headerBlock.withUnsafeBytes { headers in
                        HTTPResponseWriter.writeStreamHead(status: stream.status, reason: stream.reason, headerBlock: headers,
                                                           chunked: handle.acceptsChunked,
                                                           keepAlive: handle.keepAlive && framing != .untilClose, into: out)
                    }
                }
                if !open {
                    self.dropStream(stream)
                } else if framing == .none {
                    // HEAD (or a status without content): the head is all; the body is not read.
                    self.settler.endStream(stream.request, .finished)
                    open = false
                }
            }
            // false: read on; true: the client is gone (or wants no body), cancel the stream.
            _ = try ctx.call(stream.pump, ctx.boolean(!open))
        }
    }

    /// Forgets a stream whose client is gone: its request ends with nothing to deliver.
    func dropStream(_ stream: ResponseStream) {
        guard async.streams.removeValue(forKey: stream.request) != nil else { return }
        context.unprotect(stream.pump)
        settler.endStream(stream.request, .aborted)
    }

    /// Forgets the streams whose request has ended (after the settler delivered their end).
    func pruneStreams() {
        for (id, stream) in async.streams where !settler.isStreaming(id) {
            async.streams[id] = nil
            context.unprotect(stream.pump)
        }
    }

    /// `native.streamBegin(id, status, statusText, headerLines, pump)` (true: the loop will call
    /// the pump; false: no loop to stream to, the prelude reads the body whole instead),
    /// `native.streamWrite(id, chunk)` (0: go on, 1: wait for the pump's next call, 2: stop,
    /// the client is gone), `native.streamEnd(id)` and `native.streamFail(id, error)`.
    func addStreamBridge(to bridge: JSCValue) {
        let ctx = context
        ctx.setProperty(bridge, "streamBegin", ctx.makeFunction { [unowned self] args in
            let c = args.context
            let id = c.toInt(args[0])
            guard let handle = self.settler.openHandle(id) ?? (self.async.request == id ? self.async.response : nil),
                  self.async.streams[id] == nil else { return c.boolean(false) }
            var headers: [UInt8] = []
            c.withUTF8(of: args[3]) { headers.append(contentsOf: $0) }
            let pump = args[4]
            let stream = ResponseStream(isolate: self, request: id, handle: handle, pump: pump, status: c.toInt(args[1]),
                                        reason: c.isStringEmpty(args[2]) ? nil : c.toString(args[2]), headerBlock: headers)
            guard handle.notifyWhenDrained(stream) else { return c.boolean(false) }
            c.protect(pump)
            self.async.streams[id] = stream
            self.settler.markStreaming(id)
            return c.boolean(true)
        })
        ctx.setProperty(bridge, "streamWrite", ctx.makeFunction { [unowned self] args in
            let c = args.context
            guard let stream = self.async.streams[c.toInt(args[0])], stream.begun else { return c.number(2) }
            let written: StreamWrite
            if let raw = c.bytes(of: args[1]) {
                written = stream.handle.write(UnsafeRawBufferPointer(raw))
            } else {
                written = c.withUTF8(of: args[1]) { stream.handle.write($0) }
            }
            switch written {
            case .accepted:
                return c.number(0)
            case .full:
                if stream.handle.notifyWhenDrained(stream) { return c.number(1) }
                self.dropStream(stream)
                return c.number(2)
            case .gone:
                self.dropStream(stream)
                return c.number(2)
            }
        })
        ctx.setProperty(bridge, "streamEnd", ctx.makeFunction { [unowned self] args in
            self.settler.endStream(args.context.toInt(args[0]), .finished)
            return args.context.undefined
        })
        ctx.setProperty(bridge, "streamFail", ctx.makeFunction { [unowned self] args in
            let c = args.context
            let id = c.toInt(args[0])
            if self.settler.isStreaming(id) {
                self.logger.error("response body stream failed mid-body (connection closed): \(c.error(from: args[1]).description)")
                self.settler.endStream(id, .aborted)
            }
            return c.undefined
        })
    }
}
