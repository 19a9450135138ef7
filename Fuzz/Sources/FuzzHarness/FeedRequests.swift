// FeedRequests: plays the event core's part for the fuzzers: a growing buffer fed in pieces,
// requests consumed from its front, and the invariants every answer must keep.
import HTTP1

/// What the parser said about one request, as offsets relative to the request's start and a
/// hash of its (decoded) body, so feeds of the same bytes compare equal without copying.
public struct Verdict: Equatable {
    var status: Int  // 0 for a request
    var consumed = 0
    var method: Range<Int> = 0..<0
    var target: Range<Int> = 0..<0
    var host: Range<Int>? = nil
    var bodyCount = 0
    var bodyHash: UInt64 = 0
    var keepAlive = false
}

/// One reusable input buffer: the fuzzers run millions of inputs, and allocation under
/// AddressSanitizer would cost more than the parsing.
nonisolated(unsafe) let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)

/// Feeds `input` in pieces ending at `cuts` (sorted offsets), parsing after each piece and
/// consuming complete requests from the front, as a connection does. Traps when an answer
/// breaks an invariant: a range outside the bytes it was given, a consumed count past them,
/// an error status the parser may not give.
public func feed(_ input: UnsafeRawBufferPointer, cuts: [Int], limits: HTTPLimits, into verdicts: inout [Verdict]) {
    precondition(input.count <= storage.count)
    var parser = HTTPRequestParser(limits: limits)
    verdicts.removeAll(keepingCapacity: true)
    var begin = 0   // first unconsumed byte in storage
    var end = 0     // bytes fed so far
    for cut in cuts + [input.count] where cut >= end && cut <= input.count {
        if cut > end {
            (storage.baseAddress! + end).copyMemory(from: input.baseAddress! + end, byteCount: cut - end)
        }
        end = cut
        while begin < end {
            let bytes = UnsafeMutableRawBufferPointer(rebasing: storage[begin..<end])
            switch parser.parse(bytes) {
            case .incomplete:
                break
            case .failed(let e):
                precondition([400, 408, 413, 414, 431, 501, 505].contains(e.status), "unexpected status \(e.status)")
                verdicts.append(Verdict(status: e.status))
                return  // a refusal closes the connection
            case .complete(let consumed):
                precondition(consumed > 0 && consumed <= bytes.count, "consumed \(consumed) of \(bytes.count)")
                let r = parser.request
                for range in [r.method, r.target, r.body] + (r.host.map { [$0] } ?? []) {
                    precondition(range.lowerBound >= 0 && range.upperBound <= consumed, "range \(range) past \(consumed)")
                }
                for f in r.headers { precondition(f.name.upperBound <= consumed && f.value.upperBound <= consumed) }
                precondition(!r.method.isEmpty && !r.target.isEmpty)
                var hash: UInt64 = 0xcbf29ce484222325
                for i in r.body { hash = (hash ^ UInt64(bytes[i])) &* 0x100000001b3 }
                verdicts.append(Verdict(status: 0, consumed: consumed, method: r.method, target: r.target, host: r.host,
                                        bodyCount: r.body.count, bodyHash: hash, keepAlive: r.keepAlive))
                begin += consumed
                continue
            }
            break
        }
    }
}

nonisolated(unsafe) var whole: [Verdict] = []
nonisolated(unsafe) var split: [Verdict] = []
nonisolated(unsafe) var joined: [UInt8] = []

/// Parses the input (after `prefix`) whole and cut where its first two bytes say, and now and
/// then one byte at a time; traps if the feeds disagree (the parser's promise: the same
/// answer however the bytes arrive).
public func checkSplitIndependence(_ data: UnsafePointer<UInt8>, _ size: Int, prefix: [UInt8] = [],
                                   limits: HTTPLimits = HTTPLimits()) {
    guard size >= 2 else { return }
    let a = Int(data[0]), b = Int(data[1])
    joined.removeAll(keepingCapacity: true)
    joined += prefix
    joined += UnsafeBufferPointer(start: data + 2, count: size - 2)
    joined.withUnsafeBytes { input in
        let n = input.count
        feed(input, cuts: [], limits: limits, into: &whole)
        feed(input, cuts: [a % (n + 1), (a * 7 + b * 13) % (n + 1)].sorted(), limits: limits, into: &split)
        precondition(whole == split, "split feed disagrees: \(whole) vs \(split)")
        if b & 7 == 0 {
            feed(input, cuts: Array(0..<n), limits: limits, into: &split)
            precondition(whole == split, "byte-at-a-time feed disagrees: \(whole) vs \(split)")
        }
    }
}
