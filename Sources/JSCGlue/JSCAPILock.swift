// JSCAPILock: one acquisition of the VM's API lock around several C API calls.
import CJavaScriptCore

extension JSCContext {
    private static let lockHolderAvailable = isoring_JSLockHolder_available() != 0

    /// Runs `body` holding the VM's API lock (a JSC::JSLockHolder, see the shim header). Every
    /// C API call takes that lock itself, and the outermost acquisition on a thread pays
    /// JSLock::didAcquireLock and, on release, willReleaseLock (which drains the microtask
    /// queue). A request made five such calls (three strings, a number, the dispatch); inside
    /// `withAPILock` they lock recursively and microtasks drain once, when `body` returns, so
    /// a caller that checks for settlement does so after this returns, as after a plain call.
    /// Nested use runs `body` under the lock already held; without the holder's symbols (another
    /// JavaScriptCore build) `body` runs as it is, each call taking the lock itself.
    public func withAPILock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        if lockHeld || !Self.lockHolderAvailable { return try body() }
        isoring_JSLockHolder_init(lockHolder, ref)
        lockHeld = true
        // Cleared after the release: microtasks drained during it run under the lock still,
        // and a nested call from them must not reuse the holder being destroyed.
        defer {
            isoring_JSLockHolder_deinit(lockHolder)
            lockHeld = false
        }
        return try body()
    }
}
