// ResponseSettler: the one place where a dispatched request becomes response bytes.
import HTTP1
import Responding

/// Requests that were dispatched to JavaScript and have not been answered yet, by request id.
/// Most settle before `respond` returns and write straight into the loop's buffer; one whose
/// handler awaits real work (a timer, a subrequest) is detached: it gets a buffer of its own,
/// and once it settles in a later entry into JavaScript, `deliverDetached` hands the bytes to
/// the loop through its `ResponseHandle`, after that entry has returned (never from inside
/// JavaScript, where the loop's own call back into the runtime would re-enter it).
final class ResponseSettler {
    struct Pending {
        let id: Int
        var out: OutputBuffer
        let keepAlive: Bool
        let isHead: Bool
        var status: Int?
        /// Set when the request went pending: where its response goes.
        var handle: ResponseHandle?
        /// Monotonic nanoseconds spent in JavaScript for this request (entries after the
        /// first), and when the first entry started.
        var jsNanos: Int64 = 0
        /// fetch() calls made for this request (`--max-subrequests`).
        var subrequests = 0
        /// The response is streamed (Isolate+Stream.swift): its head and body go through the
        /// handle as they come; `streamEnd` says how it ended, once it has.
        var streaming = false
        var streamEnd: StreamEnd?
    }
    enum StreamEnd { case finished, aborted }

    private var pending: [Pending] = []
    private var nextID = 1

    init() { pending.reserveCapacity(8) }

    func begin(out: OutputBuffer, keepAlive: Bool, isHead: Bool) -> Int {
        let id = nextID
        nextID &+= 1
        pending.append(Pending(id: id, out: out, keepAlive: keepAlive, isHead: isHead, status: nil))
        return id
    }

    private func index(_ id: Int) -> Int? { pending.firstIndex { $0.id == id } }

    func isSettled(_ id: Int) -> Bool {
        guard let i = index(id) else { return true }
        return pending[i].status != nil
    }

    /// `id`'s response is streamed from now on.
    func markStreaming(_ id: Int) {
        guard let i = index(id) else { return }
        pending[i].streaming = true
    }

    /// Ends `id`'s stream (finished: the last chunk; aborted: the connection is cut); handed
    /// to the loop by `deliverDetached`. False when it had ended already.
    @discardableResult
    func endStream(_ id: Int, _ end: StreamEnd) -> Bool {
        guard let i = index(id), pending[i].streaming, pending[i].streamEnd == nil else { return false }
        pending[i].streamEnd = end
        return true
    }

    /// Writes the response for `id` if it is still open; false if it was already answered
    /// (a second settle, e.g. a late rejection, is ignored).
    @discardableResult
    func complete(_ id: Int, status: Int, reason: String?, headerBlock: UnsafeRawBufferPointer,
                  body: UnsafeRawBufferPointer) -> Bool {
        guard let i = index(id), pending[i].status == nil else { return false }
        if pending[i].streaming { return endStream(id, .aborted) }
        let p = pending[i]
        HTTPResponseWriter.writeHead(status: status, reason: reason, headerBlock: headerBlock,
                                     contentLength: body.count, keepAlive: p.keepAlive, into: p.out)
        if !p.isHead && !HTTPResponseWriter.forbidsContent(status) { p.out.append(body) }
        pending[i].status = status
        return true
    }

    /// Answers `id` with a plain-text error response if it is still open.
    @discardableResult
    func completeText(_ id: Int, status: Int, _ text: String) -> Bool {
        guard let i = index(id), pending[i].status == nil else { return false }
        // A streamed response's head is out already: an error now cuts its body short.
        if pending[i].streaming { return endStream(id, .aborted) }
        let p = pending[i]
        HTTPResponseWriter.writeText(status: status, text, keepAlive: p.keepAlive, isHead: p.isHead, into: p.out)
        pending[i].status = status
        return true
    }

    /// The request `id` goes pending: its response will be written to a buffer of its own
    /// and delivered through `handle`.
    func detach(_ id: Int, handle: ResponseHandle, jsNanos: Int64) {
        guard let i = index(id) else { return }
        pending[i].out = OutputBuffer(capacity: 1024)
        pending[i].handle = handle
        pending[i].jsNanos = jsNanos
    }

    /// The handle of a detached request still open (nil when answered or unknown).
    func openHandle(_ id: Int) -> ResponseHandle? {
        guard let i = index(id), pending[i].status == nil, pending[i].streamEnd == nil else { return nil }
        return pending[i].handle
    }

    /// True while `id`'s response streams (begun, not ended).
    func isStreaming(_ id: Int) -> Bool {
        guard let i = index(id) else { return false }
        return pending[i].streaming && pending[i].streamEnd == nil
    }

    /// Adds JavaScript time to a detached request and returns its total.
    func addJSNanos(_ id: Int, _ nanos: Int64) -> Int64 {
        guard let i = index(id) else { return 0 }
        pending[i].jsNanos += nanos
        return pending[i].jsNanos
    }

    /// Counts one more subrequest for `id` and returns the count so far (0 when the request
    /// is already answered: work after the response, as with ctx.waitUntil, is not counted).
    func countSubrequest(_ id: Int) -> Int {
        guard let i = index(id), pending[i].status == nil else { return 0 }
        pending[i].subrequests += 1
        return pending[i].subrequests
    }

    /// Detached requests still open (streams aside: they end with their stream).
    var openDetached: [Int] { pending.filter { $0.handle != nil && $0.status == nil && !$0.streaming }.map(\.id) }

    /// Hands every settled detached response to its loop, and every ended stream's end, and
    /// forgets them.
    func deliverDetached() {
        var i = 0
        while i < pending.count {
            let p = pending[i]
            if p.streaming, let end = p.streamEnd {
                pending.remove(at: i)
                if let handle = p.handle { if end == .finished { handle.finish() } else { handle.abort() } }
                continue
            }
            guard let handle = p.handle, let status = p.status else { i += 1; continue }
            pending.remove(at: i)
            handle.complete { out in
                out.append(p.out.bytes)
                return status
            }
        }
    }

    /// Forgets `id` and returns the status it was answered with (nil if never answered).
    func end(_ id: Int) -> Int? {
        guard let i = index(id) else { return nil }
        let status = pending[i].status
        pending.remove(at: i)
        return status
    }
}
