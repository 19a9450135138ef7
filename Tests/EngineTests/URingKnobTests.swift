// URingKnobTests: each io_uring knob the kernel supports echoes correctly; refusals are named.
import EngineURing
import Foundation
import IOCore
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite("io_uring knobs", .enabled(if: URingAvailability.isAvailable, "io_uring unavailable"))
struct URingKnobTests {
    static let knobs = ["--sqpoll", "--defer-taskrun", "--coop-taskrun", "--fixed-files",
                        "--multishot=off", "--buf-ring=off", "--send-zc"]

    static func options(_ knob: String) -> URingOptions {
        var o = URingOptions()
        o.ringEntries = 256
        o.bufferCount = 16
        o.bufferSize = 512
        switch knob {
        case "--sqpoll": o.sqpoll = true
        case "--defer-taskrun": o.deferTaskrun = true
        case "--coop-taskrun": o.coopTaskrun = true
        case "--fixed-files": o.fixedFiles = true
        case "--multishot=off": o.multishot = false
        case "--buf-ring=off": o.bufRing = false
        case "--send-zc": o.sendZC = true
        default: break
        }
        return o
    }

    @Test("each supported knob echoes a stream intact", arguments: knobs)
    func knobEchoes(knob: String) throws {
        let probe = URingEngine.probe()
        let feature = knob.split(separator: "=").first.map(String.init) ?? knob
        if !knob.hasSuffix("=off"), !probe.supports(feature) {
            try Test.cancel("skipped: kernel lacks \(feature)")
        }
        let driver = EngineDriver(try URingEngine(options: Self.options(knob)))
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, reusePort: false, nonBlocking: false)
        defer { close(listener) }
        let port = Socket.localPort(listener)
        let message = (0..<8000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let received = Box<[UInt8]>([])
        let client = TestThread {
            guard let c = try? LoopbackClient(port: port) else { return }
            c.send(message)
            c.shutdownWrite()
            received.value = c.receiveUntilClosed()
        }
        defer { client.join() }
        driver.enqueue(.accept(listener: listener), 1)
        let fd = try #require(driver.wait(for: 1)).result
        #expect(fd >= 0)
        if knob == "--fixed-files" { #expect(fd >= URingEngine.fixedFileBase) }
        try echoUntilEOF(driver, fd: fd)
        client.join()
        let same = received.value == message
        #expect(same, "got \(received.value.count) of \(message.count) bytes back")
    }

    @Test("several queued operations go to the kernel in one io_uring_enter")
    func batchesSubmissions() throws {
        let engine = try URingEngine(options: Self.options(""))
        for token in 1...4 { #expect(engine.enqueue(.timeout(nanoseconds: 1_000_000), token: UInt64(token))) }
        var out: [Completion] = []
        out.reserveCapacity(16)
        _ = try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &out)
        #expect(engine.counters.enterCalls == 1)
        #expect(engine.counters.sqesSubmitted >= 4)
        var seen = Set(out.map(\.token))
        var ticks = 0
        while seen.count < 4, ticks < 100 {
            ticks += 1
            out.removeAll(keepingCapacity: true)
            _ = try engine.submitAndReap(wait: true, timeoutNanos: 100_000_000, into: &out)
            for c in out {
                #expect(c.result == -ETIME)
                seen.insert(c.token)
            }
        }
        #expect(seen == [1, 2, 3, 4])
        #expect(engine.counters.sqesSubmitted > engine.counters.enterCalls)
    }

    @Test("a wakeup from another thread ends a blocking wait without surfacing a completion")
    func wakeupIsInternal() throws {
        let engine = try URingEngine(options: Self.options(""))
        var out: [Completion] = []
        _ = try engine.submitAndReap(wait: false, timeoutNanos: 0, into: &out)
        let waker = TestThread { usleep(20_000); engine.wakeup() }
        defer { waker.join() }
        // A 10 s limit so that a wakeup that does not work fails the test instead of hanging it.
        let started = Date()
        let n = try engine.submitAndReap(wait: true, timeoutNanos: 10_000_000_000, into: &out)
        #expect(n == 0)
        #expect(out.isEmpty)
        #expect(Date().timeIntervalSince(started) < 9, "returned by its timeout, not by the wakeup")
    }

    @Test("a wait for a batch of completions returns a lone one once min-wait has passed")
    func minWaitEndsABatchWait() throws {
        var o = Self.options("")
        o.minWaitMicros = 1000
        o.waitBatch = 64
        let made = Result { try URingEngine(options: o) }
        if case .failure(let e) = made, (e as? IOError)?.errno == EOPNOTSUPP { try Test.cancel("skipped: \(e)") }
        let engine = try made.get()
        // A send on a socket pair (a timeout would not do: a TIMEOUT completion always ends a wait).
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        let byte: [UInt8] = [42]
        let sent = byte.withUnsafeBytes { engine.enqueue(.send(fd: pair[0], bytes: $0), token: 7) }
        #expect(sent)
        var out: [Completion] = []
        out.reserveCapacity(16)
        // 64 completions will never come: without min_wait_usec this wait would last its 10 s.
        let started = Date()
        while out.isEmpty, Date().timeIntervalSince(started) < 9 {
            _ = try engine.submitAndReap(wait: true, timeoutNanos: 10_000_000_000, into: &out)
        }
        #expect(out.map(\.token) == [7])
        #expect(Date().timeIntervalSince(started) < 9, "returned by its 10 s timeout, not by min-wait")
    }

    @Test("a wait batch without min-wait is refused with the flag's name")
    func waitBatchNeedsMinWait() {
        var o = Self.options("")
        o.waitBatch = 8
        #expect { _ = try URingEngine(options: o) } throws: { "\($0)".contains("--min-wait-us") }
    }

    @Test("a knob combination the kernel refuses throws a message naming the knobs")
    func refusedKnobIsNamed() {
        var o = Self.options("")
        o.sqpoll = true
        o.coopTaskrun = true  // the kernel rejects task-run flags with SQPOLL
        #expect {
            _ = try URingEngine(options: o)
        } throws: { error in
            let text = "\(error)"
            return text.contains("--sqpoll") && text.contains("--coop-taskrun")
        }
    }

    @Test("the probe reports io_uring available on this kernel")
    func probeReports() {
        let probe = URingEngine.probe()
        #expect(probe.available)
        #expect(probe.features.count == 7)
        #expect(probe.description.contains("--buf-ring"))
    }
}
