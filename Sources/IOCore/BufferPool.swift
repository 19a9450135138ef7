// BufferPool: one contiguous slab of equal receive buffers, indexed by UInt16, with a free list.

/// A slab of `count` buffers of `size` bytes each, page-aligned, allocated once at start-up.
/// The uring engine registers the slab as a provided-buffer ring; the epoll and blocking
/// engines take buffers from the free list. Indices fit the 16-bit buffer id io_uring uses.
public final class BufferPool {
    public let size: Int
    public let count: Int
    public let base: UnsafeMutableRawPointer
    private var free: [UInt16]

    public init(count: Int, size: Int) {
        precondition(count > 0 && count < Int(UInt16.max), "buffer count must fit in 16 bits")
        precondition(size > 0)
        self.size = size
        self.count = count
        self.base = UnsafeMutableRawPointer.allocate(byteCount: count * size, alignment: 4096)
        self.free = (0..<count).reversed().map { UInt16($0) }
    }

    deinit { base.deallocate() }

    @inlinable
    public func pointer(_ index: UInt16) -> UnsafeMutableRawPointer {
        base + Int(index) * size
    }

    /// Takes a free buffer, or nil when all are lent out.
    public func take() -> UInt16? { free.popLast() }

    /// Returns a buffer to the free list.
    public func give(_ index: UInt16) { free.append(index) }

    public var available: Int { free.count }
}
