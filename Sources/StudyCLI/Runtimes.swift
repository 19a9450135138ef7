// Runtimes: the isolate runtimes `serve` made, one per loop (or one shared by connection
// threads), kept where the metrics endpoint can read them without knowing what answers requests.
import Isolates
import Synchronization

final class Runtimes: Sendable {
    private let list = Mutex<[IsolateRuntime]>([])

    /// Remembers a runtime made by the responder factory (on its loop thread).
    func add(_ runtime: IsolateRuntime) {
        nonisolated(unsafe) let r = runtime
        list.withLock { $0.append(r) }
    }

    /// Every runtime's statistics (racy snapshots of counters owned by loop threads).
    var stats: [IsolateStats] {
        list.withLock { $0.map(\.stats) }
    }
}
