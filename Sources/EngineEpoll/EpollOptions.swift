// EpollOptions: the epoll engine's sizes, each a command-line flag.

/// Sizes fixed at start-up and printed in reports.
public struct EpollOptions: Sendable, Equatable, CustomStringConvertible {
    /// Receive buffers and their size in bytes.
    public var bufferCount = 4096
    public var bufferSize = 4096
    /// Events fetched per epoll_wait(2).
    public var maxEvents = 256
    /// Reads (or accepts) per descriptor per tick before moving on, so one busy peer cannot
    /// starve the others (nginx bounds its accept loop the same way).
    public var readsPerTurn = 16

    public init() {}

    public var description: String {
        "buffers=\(bufferCount)x\(bufferSize)B max-events=\(maxEvents) reads-per-turn=\(readsPerTurn)"
    }
}
