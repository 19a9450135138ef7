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
    func complete(_ id: Int, status: Int, reason: String, headerBlock: String,
                  body: UnsafeRawBufferPointer) -> Bool {
        guard let i = index(id), pending[i].status == nil else { return false }
        let p = pending[i]
        HTTPResponseWriter.writeHead(status: status, reason: reason.isEmpty ? nil : reason,
                                     headers: HeaderLines(block: headerBlock), contentLength: body.count,
                                     keepAlive: p.keepAlive, into: p.out)
        if !p.isHead { p.out.append(body) }
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

/// The "name: value\r\n" lines the prelude flattens response headers into, as the (name,
/// value) pairs HTTPResponseWriter.writeHead takes. Short names and values are small strings
/// (no allocation). Replace with a raw header-block writer once HTTP1 offers one.
struct HeaderLines: Sequence {
    let block: String

    struct Iterator: IteratorProtocol {
        let utf8: String.UTF8View
        var i: String.Index

        mutating func next() -> (String, String)? {
            while i < utf8.endIndex {
                guard let lineEnd = utf8[i...].firstIndex(of: 0x0D) else { return nil }
                let line = utf8[i..<lineEnd]
                i = utf8.index(lineEnd, offsetBy: 2, limitedBy: utf8.endIndex) ?? utf8.endIndex
                guard let colon = line.firstIndex(of: 0x3A) else { continue }
                var valueStart = utf8.index(after: colon)
                if valueStart < lineEnd && utf8[valueStart] == 0x20 { valueStart = utf8.index(after: valueStart) }
                return (String(Substring(utf8[line.startIndex..<colon])), String(Substring(utf8[valueStart..<lineEnd])))
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(utf8: block.utf8, i: block.utf8.startIndex) }
}
