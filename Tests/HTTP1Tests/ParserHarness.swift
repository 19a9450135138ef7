// ParserHarness: plays the event core's part (a growing connection buffer) for parser tests.

@testable import HTTP1

/// What a parsed request says, as strings, so results from different feeds compare equal.
struct Parsed: Equatable, CustomStringConvertible {
    var method = ""
    var target = ""
    var versionMinor = 1
    var headers: [String] = []
    var host: String? = nil
    var body = ""
    var keepAlive = true
    var isHead = false
    var expectsContinue = false
    var consumed = 0

    var description: String {
        "\(method) \(target) 1.\(versionMinor) host=\(host ?? "nil") headers=\(headers) body=\(body.debugDescription) keepAlive=\(keepAlive) head=\(isHead) expect=\(expectsContinue) consumed=\(consumed)"
    }
}

/// The outcome of feeding bytes: a request, still incomplete, or the refusal's status.
enum Outcome: Equatable {
    case request(Parsed)
    case incomplete
    case status(Int)
}

/// A connection's input buffer: bytes are appended as they "arrive", parsed in place, and
/// consumed from the front after each complete request, as the event core does.
final class ConnectionBuffer {
    var storage: UnsafeMutableRawPointer
    var capacity: Int
    var count = 0
    var parser: HTTPRequestParser

    init(limits: HTTPLimits = HTTPLimits(), capacity: Int = 256) {
        self.capacity = capacity
        storage = .allocate(byteCount: capacity, alignment: 16)
        parser = HTTPRequestParser(limits: limits)
    }
    deinit { storage.deallocate() }

    /// Appends bytes, moving the storage when it grows (as a real buffer might).
    func append(_ bytes: some Collection<UInt8>) {
        if count + bytes.count > capacity {
            let newCapacity = max(capacity * 2, count + bytes.count)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        }
        for (k, b) in bytes.enumerated() { storage.storeBytes(of: b, toByteOffset: count + k, as: UInt8.self) }
        count += bytes.count
    }

    /// Parses what is buffered; on a complete request, snapshots it and drops its bytes.
    func parse() -> Outcome {
        let buffer = UnsafeMutableRawBufferPointer(start: storage, count: count)
        switch parser.parse(buffer) {
        case .incomplete: return .incomplete
        case .failed(let error): return .status(error.status)
        case .complete(let consumed):
            var parsed = snapshot(parser.request, UnsafeRawBufferPointer(buffer))
            parsed.consumed = consumed
            consume(consumed)
            return .request(parsed)
        }
    }

    func consume(_ n: Int) {
        storage.copyMemory(from: storage + n, byteCount: count - n)
        count -= n
    }
}

func text(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
}

func snapshot(_ r: HTTPRequest, _ bytes: UnsafeRawBufferPointer) -> Parsed {
    Parsed(method: text(bytes, r.method), target: text(bytes, r.target), versionMinor: r.versionMinor,
           headers: r.headers.map { text(bytes, $0.name) + "=" + text(bytes, $0.value) },
           host: r.host.map { text(bytes, $0) }, body: text(bytes, r.body), keepAlive: r.keepAlive,
           isHead: r.isHead, expectsContinue: r.expectsContinue)
}

/// Parses `request` handed over in one piece.
func parseWhole(_ request: String, limits: HTTPLimits = HTTPLimits()) -> Outcome {
    let buffer = ConnectionBuffer(limits: limits)
    buffer.append(Array(request.utf8))
    return buffer.parse()
}

/// Parses `bytes` handed over in pieces cut at `cuts` (sorted offsets); returns the first
/// outcome that is not `.incomplete`, or `.incomplete`.
func parseSplit(_ bytes: [UInt8], at cuts: [Int], limits: HTTPLimits = HTTPLimits()) -> Outcome {
    let buffer = ConnectionBuffer(limits: limits, capacity: 16)
    var start = 0
    for cut in cuts + [bytes.count] where cut >= start {
        buffer.append(bytes[start..<cut])
        start = cut
        let outcome = buffer.parse()
        if outcome != .incomplete { return outcome }
    }
    return .incomplete
}

func status(_ outcome: Outcome) -> Int? {
    if case .status(let s) = outcome { return s }
    return nil
}

func request(_ outcome: Outcome) -> Parsed? {
    if case .request(let p) = outcome { return p }
    return nil
}
