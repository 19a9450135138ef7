// URingProbe: what this kernel's io_uring can do, found by trying it (for `isoring probe`).
import CLiburing
import IOCore
#if canImport(Glibc)
import Glibc
#endif

/// The answer to "can the uring engine run here, and with which knobs?".
public struct URingProbe: Sendable, CustomStringConvertible {
    /// One knob's kernel feature and whether this kernel has it.
    public struct Feature: Sendable {
        public var knob: String
        public var kernelFeature: String
        public var supported: Bool
    }

    public var kernelRelease: String
    /// Nil when io_uring works; otherwise a sentence saying why not.
    public var unavailableReason: String?
    public var features: [Feature]

    public var available: Bool { unavailableReason == nil }

    /// Whether the feature behind a knob (`"--sqpoll"`, `"--send-zc"`, ...) is supported.
    public func supports(_ knob: String) -> Bool {
        available && features.contains { $0.knob == knob && $0.supported }
    }

    public var description: String {
        var lines = ["io_uring on Linux \(kernelRelease): "
            + (unavailableReason.map { "UNAVAILABLE - \($0)" } ?? "available")]
        for f in features {
            let knob = f.knob.padding(16)
            lines.append("  \(knob) \(f.supported ? "yes" : "no ")  \(f.kernelFeature)")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension URingEngine {
    /// Tries each feature the knobs need: set-up flags by creating small rings, opcodes with
    /// io_uring_get_probe, registrations on a scratch ring, floors from the kernel version.
    public static func probe() -> URingProbe {
        let release = KernelVersion.release
        let plain = isoring_uring_try_setup(8, 0)
        if plain < 0 {
            return URingProbe(kernelRelease: release,
                              unavailableReason: URingSetup.unavailableReason(errno: -plain), features: [])
        }
        close(plain)
        func setupWorks(_ flags: UInt32) -> Bool {
            let fd = isoring_uring_try_setup(8, flags)
            if fd >= 0 { close(fd) }
            return fd >= 0
        }
        let version = KernelVersion.current
        var opcodes = Set<Int32>()
        if let p = io_uring_get_probe() {
            for op in [IORING_OP_ACCEPT, IORING_OP_RECV, IORING_OP_SEND_ZC, IORING_OP_CLOSE,
                       IORING_OP_ASYNC_CANCEL, IORING_OP_TIMEOUT, IORING_OP_CONNECT]
            where io_uring_opcode_supported(p, Int32(op.rawValue)) != 0 {
                opcodes.insert(Int32(op.rawValue))
            }
            io_uring_free_probe(p)
        }
        func has(_ op: io_uring_op) -> Bool { opcodes.contains(Int32(op.rawValue)) }
        var scratch = io_uring()
        var bufRingOK = false
        var filesOK = false
        if io_uring_queue_init(8, &scratch, 0) == 0 {
            filesOK = io_uring_register_files_sparse(&scratch, 8) == 0
            let pool = BufferPool(count: 8, size: 64)
            if let (memory, _) = try? URingSetup.registerBufferRing(&scratch, pool: pool, group: 0) {
                bufRingOK = true
                io_uring_queue_exit(&scratch)
                free(memory)
            } else {
                io_uring_queue_exit(&scratch)
            }
        }
        let features = [
            URingProbe.Feature(knob: "--sqpoll", kernelFeature: "IORING_SETUP_SQPOLL",
                               supported: setupWorks(UInt32(IORING_SETUP_SQPOLL))),
            URingProbe.Feature(knob: "--coop-taskrun", kernelFeature: "IORING_SETUP_COOP_TASKRUN (5.19)",
                               supported: setupWorks(UInt32(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG))),
            URingProbe.Feature(knob: "--defer-taskrun",
                               kernelFeature: "IORING_SETUP_SINGLE_ISSUER|DEFER_TASKRUN (6.1)",
                               supported: setupWorks(UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN))),
            URingProbe.Feature(knob: "--fixed-files",
                               kernelFeature: "sparse file table + accept direct (5.19)",
                               supported: filesOK && version >= KernelVersion(5, 19) && has(IORING_OP_CLOSE)),
            URingProbe.Feature(knob: "--buf-ring", kernelFeature: "IORING_REGISTER_PBUF_RING (5.19)",
                               supported: bufRingOK),
            URingProbe.Feature(knob: "--multishot", kernelFeature: "multishot accept (5.19) and recv (6.0)",
                               supported: has(IORING_OP_ACCEPT) && has(IORING_OP_RECV) && version >= KernelVersion(6, 0)),
            URingProbe.Feature(knob: "--send-zc", kernelFeature: "IORING_OP_SEND_ZC (6.0)",
                               supported: has(IORING_OP_SEND_ZC)),
        ]
        return URingProbe(kernelRelease: release, unavailableReason: nil, features: features)
    }
}
