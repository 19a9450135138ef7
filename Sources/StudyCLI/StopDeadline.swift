// StopDeadline: SIGTERM ends the server even if a loop thread never returns from a turn.
import Foundation
import Logging

/// After SIGINT/SIGTERM the main thread asks every loop to stop and joins them. A loop thread
/// that cannot finish its turn (JavaScript that escaped the CPU limit, a JavaScriptCore bug)
/// would keep the process alive until SIGKILL; this deadline turns that into a logged exit
/// with status 1, so an operator's SIGTERM always ends the process.
final class StopDeadline: @unchecked Sendable {
    /// Seconds the loops get to stop once asked (the drain timeout and 10 s more).
    let seconds: UInt32
    private let lock = NSLock()
    private var met = false

    /// Starts the countdown on a detached thread.
    init(log: Logger, seconds: UInt32) {
        self.seconds = seconds
        Thread.detachNewThread { [self] in
            sleep(seconds)
            lock.lock()
            defer { lock.unlock() }
            if met { return }
            log.error("loops did not stop within \(seconds) s of the stop signal; exiting without a clean stop")
            _exit(1)
        }
    }

    /// The loops stopped in time: the countdown ends without effect.
    func meet() {
        lock.lock()
        met = true
        lock.unlock()
    }
}
