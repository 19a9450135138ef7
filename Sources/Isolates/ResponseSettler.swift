// ResponseSettler: the one place where a dispatched request becomes response bytes.
import HTTP1

/// Requests that were dispatched to JavaScript and have not been answered yet, by request id.
/// Today every request settles (or is declared unsettled) before `respond` returns; keeping
/// the settle path keyed by id lets a later I/O completion (a `fetch` subrequest) finish a
/// response after the dispatch call has returned.
final class ResponseSettler {
    struct Pending {
        let id: Int
        let out: OutputBuffer
        let keepAlive: Bool
        let isHead: Bool
        var status: Int?
    }

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

    /// Writes the response for `id` if it is still open; false if it was already answered
    /// (a second settle, e.g. a late rejection, is ignored).
    @discardableResult
    func complete(_ id: Int, status: Int, reason: String?, headerBlock: UnsafeRawBufferPointer,
                  body: UnsafeRawBufferPointer) -> Bool {
        guard let i = index(id), pending[i].status == nil else { return false }
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
        let p = pending[i]
        HTTPResponseWriter.writeText(status: status, text, keepAlive: p.keepAlive, isHead: p.isHead, into: p.out)
        pending[i].status = status
        return true
    }

    /// Forgets `id` and returns the status it was answered with (nil if never answered).
    func end(_ id: Int) -> Int? {
        guard let i = index(id) else { return nil }
        let status = pending[i].status
        pending.remove(at: i)
        return status
    }
}
