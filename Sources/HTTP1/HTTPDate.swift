// HTTPDate: the Date header value (RFC 9110 5.6.7 IMF-fixdate), formatted once per second.

import Glibc

/// A per-thread cache of the current IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
/// Every response carries it, so it is formatted at most once per second and per thread;
/// each loop thread owns its cache, so there is no lock and no sharing between threads.
/// The event core calls `refresh()` once per loop tick (a vDSO `time()` and a compare);
/// the writer only reads the cache, so it adds no clock reads, let alone syscalls, per
/// response. A thread that never refreshed gets the date computed on first use.
public enum HTTPDate {
    /// The length of an IMF-fixdate.
    public static let byteCount = 29

    /// Re-reads the clock (`time(2)`, served by the vDSO) and reformats if the second changed.
    public static func refresh() {
        refresh(epochSeconds: Int(time(nil)))
    }

    /// Sets the calling thread's cached date to `epochSeconds` (reformats only on change).
    /// Tests use it to pin the date.
    public static func refresh(epochSeconds: Int) {
        let cache = threadCache()
        if cache.load(as: Int.self) == epochSeconds { return }
        format(epochSeconds: epochSeconds, into: cache + 8)
        cache.storeBytes(of: epochSeconds, as: Int.self)
    }

    /// The calling thread's cached date bytes (29 bytes), valid inside `body` only.
    public static func withCurrent<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let cache = threadCache()
        if cache.load(as: Int.self) == Int.min { refresh() }
        return try body(UnsafeRawBufferPointer(start: cache + 8, count: byteCount))
    }

    /// The cached date as a String (for logs and tests; allocates).
    public static var current: String {
        withCurrent { String(decoding: $0, as: UTF8.self) }
    }

    /// Formats `epochSeconds` (UTC) as an IMF-fixdate into 29 bytes at `out`.
    public static func format(epochSeconds: Int, into out: UnsafeMutableRawPointer) {
        var t = time_t(epochSeconds)
        var tm = tm()
        _ = gmtime_r(&t, &tm)
        let days: StaticString = "SunMonTueWedThuFriSat"
        let months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        var i = 0
        func put(_ b: UInt8) { out.storeBytes(of: b, toByteOffset: i, as: UInt8.self); i += 1 }
        func put3(_ names: StaticString, _ index: Int) {
            let k = min(max(index, 0), names.utf8CodeUnitCount / 3 - 1) * 3
            put(names.utf8Start[k]); put(names.utf8Start[k + 1]); put(names.utf8Start[k + 2])
        }
        func put2(_ v: Int32) { put(UInt8(48 + v / 10 % 10)); put(UInt8(48 + v % 10)) }
        put3(days, Int(tm.tm_wday)); put(0x2C); put(0x20)
        put2(tm.tm_mday); put(0x20)
        put3(months, Int(tm.tm_mon)); put(0x20)
        let year = tm.tm_year + 1900
        put2(year / 100); put2(year % 100); put(0x20)
        put2(tm.tm_hour); put(0x3A); put2(tm.tm_min); put(0x3A); put2(tm.tm_sec)
        put(0x20); put(0x47); put(0x4D); put(0x54)  // " GMT"
    }

    /// Formats `epochSeconds` as a String (allocates; for tests and logs).
    public static func string(epochSeconds: Int) -> String {
        withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 1) { buffer in
            format(epochSeconds: epochSeconds, into: buffer.baseAddress!)
            return String(decoding: UnsafeRawBufferPointer(buffer), as: UTF8.self)
        }
    }

    /// This thread's cache: 8 bytes of epoch seconds (Int.min when unset), then the date.
    static func threadCache() -> UnsafeMutableRawPointer {
        if let cache = pthread_getspecific(dateCacheKey) { return cache }
        let cache = UnsafeMutableRawPointer.allocate(byteCount: 8 + byteCount, alignment: 8)
        cache.storeBytes(of: Int.min, as: Int.self)
        pthread_setspecific(dateCacheKey, cache)
        return cache
    }
}

/// The pthread key of the per-thread date cache; its destructor frees a thread's cache
/// when the thread exits.
private let dateCacheKey: pthread_key_t = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key) { $0?.deallocate() }
    precondition(rc == 0, "pthread_key_create failed: \(rc)")
    return key
}()
