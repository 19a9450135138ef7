// Threads: the one way Isoring starts a thread (a joinable pthread with a name), and errno names.
import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A thread could not be started.
public struct ThreadError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var errno: Int32
    public var description: String { "pthread_create \(name): \(errnoName(errno))" }
}

/// Starts a joinable pthread running `body`, named `name` (the first 15 bytes, as the kernel
/// keeps them: what `top -H` and perf show). Foundation's Thread is not needed for this, and a
/// plain pthread keeps the loop threads free of a run loop. Join it with pthread_join.
public func spawnThread(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadError) -> pthread_t {
    final class Box {
        let body: @Sendable () -> Void
        init(_ b: @escaping @Sendable () -> Void) { body = b }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { arg in
        Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue().body()
        return nil
    }, box)
    guard rc == 0 else {
        Unmanaged<Box>.fromOpaque(box).release()
        throw ThreadError(name: name, errno: rc)
    }
    _ = isoring_set_thread_name(thread, String(name.prefix(15)))
    return thread
}

/// "Too many open files (errno 24)": an errno's text and number, for logs and errors.
public func errnoName(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
