// EngineKind: the one name of each I/O engine, for flags (`--io`), reports and tests.

/// The engines behind `IOEngine`. Only the CLI turns a kind into a concrete engine (and tests,
/// which may import the engines); everything else passes the kind around.
public enum EngineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// io_uring: completion-based, batched submission.
    case uring
    /// Edge-triggered epoll: readiness, then the syscall.
    case epoll
    /// Plain blocking syscalls, a thread per connection.
    case blocking

    public var description: String { rawValue }
}
