// ScaleProbeTests: the scale probe's figures, printed (run in release for the note's table).
import Testing
@testable import Isolates

@Test(.serialized, arguments: [1, 100, 1000])
func scaleProbePrintsFigures(tenants: Int) throws {
    for prewarm in [0] {
        var options = IsolateOptions()
        options.prewarm = prewarm
        let r = try IsolateScaleProbe(options: options).run(tenants: tenants)
        print(ScaleResult.markdownHeader)
        print(r.markdownRow)
        #expect(r.okCount == tenants)
    }
}
