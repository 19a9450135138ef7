// BenchEngines: builds the engines for EngineBenchmarks behind `any IOEngine`.
//
// Why a target of its own: liburing 2.3 ships its own copy of <linux/io_uring.h>, and the
// benchmark harness depends on swift-system, whose C module includes the system's copy. A file
// that sees both Clang modules fails to compile (the two `struct io_uring_sqe` differ), so the
// benchmark never imports EngineURing itself: this target imports it internally.
public import IOCore
internal import EngineEpoll
internal import EngineURing

public enum BenchEngines {
    public static let kinds = ["uring", "epoll"]

    /// Small pools: one connection needs a handful of buffers.
    public static func make(_ kind: String) throws -> any IOEngine {
        switch kind {
        case "uring":
            var o = URingOptions()
            o.ringEntries = 256
            o.bufferCount = 64
            return try URingEngine(options: o)
        case "epoll":
            var o = EpollOptions()
            o.bufferCount = 64
            return try EpollEngine(options: o)
        default:
            fatalError("unknown engine \(kind)")
        }
    }
}
