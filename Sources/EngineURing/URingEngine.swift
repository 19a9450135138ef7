// URingEngine: the io_uring engine's state, set-up and the protocol's small members.
import CLiburing
import CLinux
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// The completion-based engine: one ring per thread, operations become SQEs, CQEs become
/// completions. Knobs in `URingOptions`.
///
/// Syscall counting: this engine never lets liburing decide when to enter the kernel. It
/// publishes SQEs itself (`isoring_uring_flush_sq`) and makes each io_uring_enter(2) through
/// `isoring_uring_enter`, which is exactly one syscall; `counters.enterCalls` is incremented
/// next to that call. CQEs are read straight from the CQ ring (io_uring_peek_batch_cqe is only
/// called when CQEs are ready, so its hidden overflow-flush enter can never run).
public final class URingEngine: IOEngine {
    /// Caller-visible descriptors at or above this value are registered-file indices (offset
    /// by this base), so they never collide with real fds (the kernel caps those at 2^20).
    public static let fixedFileBase: Int32 = 1 << 30

    public let options: URingOptions
    public internal(set) var counters = EngineCounters()

    let ring: UnsafeMutablePointer<io_uring>
    let pool: BufferPool
    var slots: SlotTable
    /// Completions made without the kernel (a receive with no free pool buffer).
    var synthesized: [Completion] = []
    let bufRing: UnsafeMutablePointer<io_uring_buf_ring>?
    let bufRingMask: Int32
    static let bufferGroup: UInt16 = 0
    /// Timeout SQEs point at a timespec the kernel copies when it consumes the SQE; one per
    /// SQ slot, indexed like the SQE, so it lives exactly as long as its SQE.
    let timespecs: UnsafeMutablePointer<__kernel_timespec>
    let cqeBatch: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    let wakeFd: Int32
    let wakeBuffer: UnsafeMutablePointer<UInt64>
    var wakeArmed = false
    /// A SINGLE_ISSUER ring starts disabled and is enabled by the first submitAndReap, so the
    /// thread that runs the loop (not the one that built the engine) becomes its issuer.
    var enabled: Bool

    static let wakeupTag: UInt64 = .max
    static let cancelTag: UInt64 = .max - 1

    public init(options: URingOptions = URingOptions()) throws(IOError) {
        try URingSetup.validate(options)
        self.options = options
        ring = .allocate(capacity: 1)
        ring.initialize(to: io_uring())
        var params = io_uring_params()
        params.flags = URingSetup.setupFlags(options)
        params.cq_entries = options.ringEntries * 4
        params.sq_thread_idle = options.sqpollIdleMs
        let rc = io_uring_queue_init_params(options.ringEntries, ring, &params)
        if rc < 0 {
            ring.deallocate()
            throw URingSetup.setupError(errno: -rc, options: options)
        }
        enabled = params.flags & IORING_SETUP_R_DISABLED == 0
        pool = BufferPool(count: options.bufferCount, size: options.bufferSize)
        slots = SlotTable(reserve: Int(options.ringEntries) * 2)
        synthesized.reserveCapacity(Int(options.ringEntries))
        let sqEntries = Int(ring.pointee.sq.ring_entries)
        timespecs = .allocate(capacity: sqEntries)
        timespecs.initialize(repeating: __kernel_timespec(), count: sqEntries)
        cqeBatch = .allocate(capacity: max(1, options.batch))
        wakeBuffer = .allocate(capacity: 1)
        wakeBuffer.initialize(to: 0)
        wakeFd = eventfd(0, Int32(EFD_CLOEXEC))
        var ringMemory: UnsafeMutablePointer<io_uring_buf_ring>? = nil
        var mask: Int32 = 0
        do throws(IOError) {
            if wakeFd < 0 { throw IOError(errno: errno, what: "eventfd for the uring engine's wakeup") }
            try URingSetup.checkOpcodes(ring, options)
            if options.fixedFiles { try URingSetup.registerFileTable(ring, options) }
            if options.bufRing {
                (ringMemory, mask) = try URingSetup.registerBufferRing(ring, pool: pool,
                                                                        group: URingEngine.bufferGroup)
            }
        } catch {
            io_uring_queue_exit(ring)
            ring.deallocate()
            if wakeFd >= 0 { close(wakeFd) }
            timespecs.deallocate()
            cqeBatch.deallocate()
            wakeBuffer.deallocate()
            throw error
        }
        bufRing = ringMemory
        bufRingMask = mask
        armWakeup()
    }

    deinit {
        io_uring_queue_exit(ring)
        ring.deallocate()
        if let bufRing { free(bufRing) }
        close(wakeFd)
        timespecs.deallocate()
        cqeBatch.deallocate()
        wakeBuffer.deallocate()
    }

    public func buffer(_ index: UInt16, count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: pool.pointer(index), count: count)
    }

    /// With a buffer ring the buffer goes straight back to the kernel (no syscall: the ring's
    /// tail is shared memory); otherwise to the pool's free list.
    public func recycle(bufferIndex: UInt16) {
        if let bufRing {
            io_uring_buf_ring_add(bufRing, pool.pointer(bufferIndex), UInt32(pool.size), bufferIndex,
                                  bufRingMask, 0)
            io_uring_buf_ring_advance(bufRing, 1)
        } else {
            pool.give(bufferIndex)
        }
    }

    /// Writes the eventfd that a read SQE in the ring waits on, so a blocked enter returns.
    public func wakeup() {
        var one: UInt64 = 1
        _ = write(wakeFd, &one, 8)
    }

    public var describe: String { "io_uring (\(options))" }

    /// Caller operations still in flight (multishot ops count until their last CQE).
    public var operationsInFlight: Int { slots.inFlight }

    /// Free receive buffers in the pool (meaningful only without a buffer ring).
    public var poolBuffersAvailable: Int { pool.available }
}
