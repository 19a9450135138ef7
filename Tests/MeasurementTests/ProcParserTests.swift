// ProcParserTests: the /proc and /sys parsers on sample text taken from real kernels.
import Testing
@testable import Measurement

struct ProcParserTests {
    @Test func softirqsSumNetRXAndNetTXAcrossCPUs() {
        let text = """
                                CPU0       CPU1
                      HI:          0          0
                   TIMER:       7724       7226
                  NET_TX:          4          1
                  NET_RX:        319        411
                   BLOCK:          0      35829
            """
        let c = SoftIRQCounts.parse(text)
        #expect(c.netRX == 730)
        #expect(c.netTX == 5)
        #expect(c.perCPU["BLOCK"] == [0, 35829])
        let later = SoftIRQCounts.parse(text.replacingAll("319", with: "419"))
        #expect((later - c).netRX == 100)
        #expect((later - c).netTX == 0)
    }

    @Test func interruptsSumPerCPUColumnsAndKeepErrorsApart() {
        let text = """
                       CPU0       CPU1
              24:          1          0  IO-APIC   5-edge      ACPI:Ged
              26:          0         14  IO-APIC   4-edge      ttyS0
             NMI:          2          3   Non-maskable interrupts
             LOC:       1000       2000   Local timer interrupts
             ERR:          7
             MIS:          0
            """
        let c = InterruptCounts.parse(text)
        #expect(c.perCPU == [1003, 2017])
        #expect(c.total == 3020)
        #expect(c.errors == 7)
    }

    @Test func procStatCPULinesConvertTicksToMicros() {
        let text = """
            cpu  7888 0 4088 93399 1662 0 79 994 0 0
            cpu0 3034 0 1632 48831 57 5 16 530 0 0
            cpu1 4853 0 2455 44567 1604 0 62 464 0 0
            intr 153487 0 0
            """
        let t = CPUTimes.parse(text, ticksPerSecond: 100)
        #expect(t.all.userMicros == 78_880_000)
        #expect(t.all.softirqMicros == 790_000)
        #expect(t.perCPU.count == 2)
        #expect(t.perCPU[0].irqMicros == 50_000)
        #expect(t.perCPU[1].stealMicros == 4_640_000)
    }

    @Test func processStatHandlesACommWithSpacesAndParentheses() {
        let line = "4242 (my (odd) worker) S 1 4242 4242 0 -1 4194560 1500 0 2 0 250 75 3 4 20 0 7 0 "
            + "123456 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let s = ProcessStat.parse(line)
        #expect(s?.pid == 4242)
        #expect(s?.comm == "my (odd) worker")
        #expect(s?.state == "S")
        #expect(s?.minorFaults == 1500)
        #expect(s?.majorFaults == 2)
        #expect(s?.userTicks == 250)
        #expect(s?.systemTicks == 75)
        #expect(s?.childUserTicks == 3)
        #expect(s?.threads == 7)
        #expect(s?.startTimeTicks == 123456)
        #expect(s?.residentPages == 2560)
        var t = s!
        t.ticksPerSecond = 100
        #expect(t.userMicros == 2_500_000)
        #expect(t.systemMicros == 750_000)
    }

    @Test func processStatRejectsTruncatedLines() {
        #expect(ProcessStat.parse("12 (x) S 1 2") == nil)
        #expect(ProcessStat.parse("garbage") == nil)
    }

    @Test func ownStatAndThreadsAreReadable() {
        let me = ProcessStat.read()
        #expect(me?.pid == getpidValue())
        #expect(ProcessStat.threads().count >= 1)
        #expect((ProcessStatus.read()?.residentKilobytes ?? 0) > 0)
    }

    @Test func smapsRollupReadsPssRssAndPrivate() {
        let text = """
            5578d55b5000-7fffbc89e000 ---p 00000000 00:00 0                          [rollup]
            Rss:                1624 kB
            Pss:                 383 kB
            Pss_Anon:            112 kB
            Pss_File:            271 kB
            Shared_Clean:       1440 kB
            Shared_Dirty:          0 kB
            Private_Clean:        72 kB
            Private_Dirty:       112 kB
            Swap:                  0 kB
            """
        let r = SmapsRollup.parse(text)
        #expect(r.rssKilobytes == 1624)
        #expect(r.pssKilobytes == 383)
        #expect(r.pssAnonKilobytes == 112)
        #expect(r.privateKilobytes == 184)
        #expect((SmapsRollup.read()?.pssKilobytes ?? 0) > 0)
    }

    @Test func statmConvertsPagesToBytes() {
        let m = Statm.parse("1000 250 100 1 0 300 0\n", pageBytes: 4096)
        #expect(m?.residentBytes == 1_024_000)
        #expect(m?.virtualBytes == 4_096_000)
        #expect((Statm.read()?.residentBytes ?? 0) > 0)
    }

    @Test func processStatusReadsContextSwitches() {
        let s = ProcessStatus.parse("Name:\tx\nVmRSS:\t  2048 kB\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n")
        #expect(s.voluntaryContextSwitches == 12)
        #expect(s.involuntaryContextSwitches == 3)
        #expect(s.residentKilobytes == 2048)
    }
}

#if canImport(Glibc)
import Glibc
func getpidValue() -> Int32 { getpid() }
#endif
