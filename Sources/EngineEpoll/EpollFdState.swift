// EpollFdState: what the epoll engine remembers about each descriptor between ticks.
import IOCore

/// A send not yet fully written; the caller keeps the bytes alive until its completion.
struct PendingSend {
    var token: UInt64
    var base: UnsafeRawPointer
    var length: Int
    var offset: Int
}

/// Per-descriptor state, indexed by fd. Readiness is edge-triggered, so the engine keeps the
/// last edge (`readable`, `writable`) until a syscall returns EAGAIN.
struct FdState {
    var registered = false
    var readable = false
    var writable = true
    /// EPOLLRDHUP or EPOLLHUP seen: keep reading past a short read, to reach the 0-byte EOF.
    var peerClosed = false
    var acceptArmed = false
    var acceptToken: UInt64 = 0
    var recvArmed = false
    var recvToken: UInt64 = 0
    /// Readable, but no free buffer: parked until one is recycled.
    var starved = false
    var connectPending = false
    var connectToken: UInt64 = 0
    var inReady = false
    var dirty = false
    var sends: [PendingSend] = []

    /// Work that can be done now without waiting for a new edge.
    var hasWork: Bool {
        (readable && (acceptArmed || (recvArmed && !starved)))
            || (writable && (connectPending || !sends.isEmpty))
    }
}
