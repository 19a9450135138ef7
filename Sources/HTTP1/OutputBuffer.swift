// OutputBuffer: a growable byte buffer with a stable address while a send owns it.

/// Bytes queued for one connection. The storage is a manually managed allocation so its
/// address can be handed to the kernel (io_uring keeps the pointer until the send completes);
/// it only moves when `reserve` grows it, which the caller never does while a send owns it.
public final class OutputBuffer {
    public private(set) var base: UnsafeMutableRawPointer
    public private(set) var capacity: Int
    public var count: Int = 0

    public init(capacity: Int = 16 * 1024) {
        self.capacity = max(capacity, 64)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// The queued bytes.
    @inlinable public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Ensures room for `extra` more bytes (may move the storage).
    public func reserve(_ extra: Int) {
        let need = count + extra
        if need <= capacity { return }
        var newCapacity = capacity * 2
        while newCapacity < need { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable public func append(_ raw: UnsafeRawBufferPointer) {
        guard raw.count > 0 else { return }
        reserve(raw.count)
        (base + count).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
        count += raw.count
    }

    @inlinable public func append(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Appends a string's UTF-8 bytes without allocating for native strings.
    @inlinable public func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inlinable public func append(_ string: StaticString) {
        append(UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// Appends a non-negative integer in decimal.
    public func append(decimal value: Int) {
        precondition(value >= 0)
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            append(UnsafeRawBufferPointer(rebasing: d[(20 - n)...]))
        }
    }

    /// Reserves `maxBytes`, lets `body` write up to that many bytes at the end of the queued
    /// bytes, and keeps the count it returns. One capacity check and one count update for a
    /// whole response head, instead of one per piece appended.
    @inlinable public func appendInPlace(maxBytes: Int, _ body: (UnsafeMutableRawPointer) -> Int) {
        reserve(maxBytes)
        let written = body(base + count)
        precondition(written >= 0 && written <= maxBytes, "appendInPlace wrote past its reservation")
        count += written
    }

    /// Drops the first `n` bytes (after a short send), keeping the rest in order.
    public func consume(_ n: Int) {
        precondition(n <= count)
        if n == count { count = 0; return }
        (base).copyMemory(from: base + n, byteCount: count - n)
        count -= n
    }

    public func removeAll() { count = 0 }
}
