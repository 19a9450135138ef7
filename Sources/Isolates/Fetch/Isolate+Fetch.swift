// Isolate+Fetch: the native side of fetch(): checks the operator's policy, starts a Subrequest on
// the request's loop, and resolves the prelude's callback from the completion.
import JSCGlue
import Responding

extension Isolate {
    /// Adds `native.fetch(callback, method, host, port, target, hostHeader, headerLines, body)`
    /// (returns the subrequest's id, or a string saying why it was refused) and
    /// `native.fetchAbort(id)`.
    func addFetchBridge(to bridge: JSCValue) {
        let ctx = context
        ctx.setProperty(bridge, "fetch", ctx.makeFunction { [unowned self] args in
            let c = args.context
            let key = "\(c.toString(args[2])):\(c.toInt(args[3]))"
            guard self.async.policy.allowedBackends.contains(key), let backend = BackendAddress(key) else {
                return c.string("fetch to \(key) refused: not an allowed backend (the operator allows \(self.allowedText) with --allow-backend)")
            }
            guard let response = self.async.response, let io = response.sink.loopIO else {
                return c.string("fetch() needs the server's event loop")
            }
            let owner = self.async.request
            let count = self.settler.countSubrequest(owner)
            if count > self.async.policy.maxSubrequests {
                return c.string("too many subrequests: this request made more than \(self.async.policy.maxSubrequests) (--max-subrequests)")
            }
            let method = c.toString(args[1])
            var head = "\(method) \(c.toString(args[4])) HTTP/1.1\r\nhost: \(c.toString(args[5]))\r\n\(c.toString(args[6]))"
            var body: [UInt8] = []
            if !c.isNull(args[7]) && !c.isUndefined(args[7]) {
                if let raw = c.bytes(of: args[7]) { body = Array(UnsafeRawBufferPointer(raw)) } else { c.withUTF8(of: args[7]) { body = Array($0) } }
            }
            if !body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" { head += "content-length: \(body.count)\r\n" }
            head += "\r\n"
            let callback = args[0]
            c.protect(callback)
            self.async.nextSubrequest += 1
            let id = self.async.nextSubrequest
            self.async.operations += 1
            let pool = self.async.pool ?? BackendPool(maxIdlePerBackend: self.async.policy.maxIdlePerBackend)
            self.async.pool = pool
            let sub = Subrequest(backend: backend, request: Array(head.utf8) + body, isHead: method == "HEAD",
                                 maxBodyBytes: self.async.policy.maxResponseBytes, io: io, pool: pool) { [unowned self] outcome in
                guard self.async.subrequests.removeValue(forKey: id) != nil else { return }
                self.async.callbacks[id] = nil
                self.async.operations -= 1
                self.enter(owner, response) { ctx throws(JSCError) in
                    defer { ctx.unprotect(callback) }
                    switch outcome {
                    case .response(let r):
                        let headers = r.headerBlock.withUnsafeBytes { ctx.string(utf8: $0) }
                        let bytes = r.body.withUnsafeBytes { ctx.uint8Array(copying: $0) }
                        _ = try ctx.call(callback, ctx.number(r.status), ctx.string(r.reason), headers, bytes)
                    case .failure(let message):
                        _ = try ctx.call(callback, ctx.number(0), ctx.string(message))
                    }
                }
            }
            self.async.subrequests[id] = sub
            self.async.callbacks[id] = callback
            sub.start()
            return c.number(id)
        })
        ctx.setProperty(bridge, "fetchAbort", ctx.makeFunction { [unowned self] args in
            let id = args.context.toInt(args[0])
            if let sub = self.async.subrequests.removeValue(forKey: id) {
                sub.abort()
                self.async.operations -= 1
                if let callback = self.async.callbacks.removeValue(forKey: id) { args.context.unprotect(callback) }
            }
            return args.context.undefined
        })
    }

    private var allowedText: String {
        let list = async.policy.allowedBackends.sorted()
        return list.isEmpty ? "none" : list.joined(separator: ", ")
    }
}
