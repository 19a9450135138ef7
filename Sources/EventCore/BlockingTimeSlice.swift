// BlockingTimeSlice: lets a thread blocked in read(2) or send(2) come back once a second.
#if canImport(Glibc)
import Glibc
#endif

/// Sets SO_RCVTIMEO and SO_SNDTIMEO on a blocking connection socket, so each read or send
/// blocks at most one slice. The blocking engine (run with `waitLimitMillis: 0`) turns the
/// EAGAIN that ends a slice into -ETIMEDOUT, and the connection's loop runs its idle, header,
/// body and send timeouts between slices: no connection thread waits on a silent peer forever.
/// Two setsockopt calls per connection; none per request.
public func armBlockingTimeSlices(_ fd: Int32, milliseconds: Int = 1000) {
    var tv = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
}
