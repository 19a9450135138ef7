// LoopHookTests: idle work runs after a turn's sends only when a hook asks for it, and the
// tick once a second of the loop's clock.
import EventCore
import Responding
import Testing

final class CountingHook: LoopHook {
    var wantsTurnEnd = false
    var turnsEnded = 0
    var ticks = 0
    var onTurnEnded: () -> Void = {}
    func turnEnded() { turnsEnded += 1; onTurnEnded() }
    func tick() { ticks += 1 }
}

@Suite struct LoopHookTests {
    @Test func turnEndedOnlyWhenAskedAndTickOnceASecond() throws {
        let h = LoopHarness()
        let hook = CountingHook()
        h.loop.hooks.append(hook)
        try h.loop.turn()
        #expect(hook.turnsEnded == 0)
        hook.wantsTurnEnd = true
        try h.loop.turn()
        try h.loop.turn()
        #expect(hook.turnsEnded == 2)
        #expect(hook.ticks == 0)
        h.clock.advance(seconds: 1)
        try h.loop.turn()
        try h.loop.turn()
        #expect(hook.ticks == 1)
    }

    @Test func idleWorkComesAfterTheTurnsSendsAreSubmitted() throws {
        let h = LoopHarness()
        let hook = CountingHook()
        h.loop.hooks.append(hook)
        let fd = try h.connect()
        h.engine.send(fd, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        hook.wantsTurnEnd = true
        // When the hook runs, the turn's response has already been handed to the engine.
        var sentBeforeIdleWork: [String] = []
        // Unowned: the loop holds the hook, which would otherwise hold the harness (a cycle
        // LeakSanitizer reports).
        hook.onTurnEnded = { [unowned h] in sentBeforeIdleWork = h.bodies(fd) }
        try h.loop.turn()
        #expect(hook.turnsEnded == 1)
        #expect(sentBeforeIdleWork == ["/a"])
    }

    @Test func aHookWithIdleWorkLeftKeepsTheLoopFromSleeping() throws {
        let h = LoopHarness()
        let hook = CountingHook()
        h.loop.hooks.append(hook)
        try h.loop.turn()
        #expect(h.engine.waits.last == true)  // nothing to do: the loop sleeps in the kernel
        hook.wantsTurnEnd = true
        let before = h.engine.waits.count
        try h.loop.turn()
        try h.loop.turn()
        // Idle work left (a pool to refill): no turn waits for I/O, and each turn does one piece.
        #expect(Array(h.engine.waits[before...]).allSatisfy { $0 == false })
        #expect(hook.turnsEnded == 2)
        hook.wantsTurnEnd = false
        try h.loop.turn()
        #expect(h.engine.waits.last == true)
    }
}
