// FuzzResponseParser: arbitrary bytes as a server's answer to the load generator, whole and
// split: the framer must never crash and must frame the same responses however bytes arrive.
import FuzzDriver
import LoadGenResponse

func frame(_ input: [UInt8], cuts: [Int]) -> (responses: [Int], failure: ResponseParser.Failure?) {
    var parser = ResponseParser()
    var responses: [Int] = []
    var start = 0
    for cut in cuts + [input.count] where cut >= start && cut <= input.count {
        let failure = input[start..<cut].withUnsafeBytes { bytes in
            parser.consume(bytes) { status, close in responses.append(status * 2 + (close ? 1 : 0)) }
        }
        start = cut
        if let failure { return (responses, failure) }
    }
    return (responses, nil)
}

func fuzzResponseParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard size >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    let whole = frame(input, cuts: [])
    let a = Int(data[0]) % (input.count + 1), b = Int(data[1]) % (input.count + 1)
    let split = frame(input, cuts: [min(a, b), max(a, b)])
    precondition(whole.responses == split.responses && whole.failure == split.failure,
                 "split feed disagrees: \(whole) vs \(split)")
    for status in whole.responses { precondition(status / 2 >= 0 && status / 2 <= 999) }
    return 0
}

runFuzzer { data, size in fuzzResponseParser(data, size) }
