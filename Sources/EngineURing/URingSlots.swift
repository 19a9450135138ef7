// URingSlots: what each in-flight SQE stands for, indexed by the SQE's user_data.
import IOCore

/// The kind of operation a slot tracks; decides how its CQEs are turned into completions.
enum SlotKind: UInt8 {
    case free, accept, recv, send, sendZC, close, connect, timeout
}

/// One in-flight caller operation. Multishot operations keep their slot until the CQE
/// without IORING_CQE_F_MORE; a zero-copy send keeps it until its notification CQE.
struct Slot {
    var kind: SlotKind = .free
    var token: UInt64 = 0
    /// The pool buffer lent to a single-shot receive when there is no buffer ring.
    var buffer: UInt16 = Completion.noBuffer
    /// A zero-copy send's result, held back until the kernel releases the buffer.
    var sendResult: Int32 = 0
}

/// A growable table of slots with a free list. The caller's tokens are opaque, so user_data
/// carries our slot index instead; internal SQEs use reserved values above any index.
struct SlotTable {
    private(set) var slots: [Slot] = []
    private var freeList: [Int32] = []

    init(reserve: Int) {
        slots.reserveCapacity(reserve)
        freeList.reserveCapacity(reserve)
    }

    /// Takes a slot (growing the table only when every slot is in flight).
    mutating func take(_ kind: SlotKind, token: UInt64, buffer: UInt16 = Completion.noBuffer) -> Int {
        let slot = Slot(kind: kind, token: token, buffer: buffer, sendResult: 0)
        if let i = freeList.popLast() {
            slots[Int(i)] = slot
            return Int(i)
        }
        slots.append(slot)
        return slots.count - 1
    }

    mutating func release(_ i: Int) {
        slots[i].kind = .free
        freeList.append(Int32(i))
    }

    subscript(i: Int) -> Slot {
        get { slots[i] }
        set { slots[i] = newValue }
    }

    /// Slots currently in flight (for tests and leak checks).
    var inFlight: Int { slots.count - freeList.count }
}
