// Token: how the event loop names an operation to its engine (slot, generation, kind in 64 bits).

/// The kind of operation a completion belongs to.
enum OpKind: UInt8 {
    case accept = 1, recv, send, close, timer, io
}

/// Packs slot index (32 bits), slot generation (24 bits) and kind (8 bits) into the engine's
/// opaque UInt64, so routing a completion needs no lookup table and no allocation.
struct Token {
    var slot: UInt32
    var generation: UInt32
    var kind: OpKind

    @inline(__always) init(slot: UInt32, generation: UInt32, kind: OpKind) {
        self.slot = slot
        self.generation = generation & 0xFF_FFFF
        self.kind = kind
    }

    @inline(__always) init?(_ raw: UInt64) {
        guard let kind = OpKind(rawValue: UInt8(truncatingIfNeeded: raw >> 56)) else { return nil }
        self.kind = kind
        self.slot = UInt32(truncatingIfNeeded: raw)
        self.generation = UInt32(truncatingIfNeeded: raw >> 32) & 0xFF_FFFF
    }

    /// The slot named by the close of a connection refused for lack of a slot.
    static let refusedSlot = UInt32.max

    /// The part of a slot generation a token carries (24 bits): compare completions with this.
    @inline(__always) static func generationBits(_ generation: UInt32) -> UInt32 { generation & 0xFF_FFFF }

    @inline(__always) var raw: UInt64 {
        UInt64(slot) | (UInt64(generation & 0xFF_FFFF) << 32) | (UInt64(kind.rawValue) << 56)
    }
}
