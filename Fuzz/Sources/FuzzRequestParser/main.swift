// FuzzRequestParser: arbitrary bytes as a connection's input, whole and split; small limits
// so the 413/414/431 paths are reached too.
import FuzzDriver
import FuzzHarness
import HTTP1

func fuzzRequestParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    checkSplitIndependence(data, size, limits: HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 256))
    return 0
}

runFuzzer { data, size in fuzzRequestParser(data, size) }
