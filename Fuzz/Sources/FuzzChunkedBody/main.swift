// FuzzChunkedBody: arbitrary bytes after a chunked request head: chunk sizes, extensions,
// trailers and in-place decoding, whole and split.
import FuzzDriver
import FuzzHarness
import HTTP1

let chunkedHead = Array("POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)

func fuzzChunkedBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    checkSplitIndependence(data, size, prefix: chunkedHead,
                           limits: HTTPLimits(maxHeaderBytes: 1024, maxHeaderCount: 8, maxBodyBytes: 4096))
    return 0
}

runFuzzer { data, size in fuzzChunkedBody(data, size) }
