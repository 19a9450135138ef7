// ScaleProbeTests: prints the scale probe's figures and the per-context cost breakdown. Run in
// release for the note (see Kernel-notes/isolates.md); the checks are on counts only.
import Testing
import Glibc
@testable import Isolates

/// ISORING_SCALE_TENANTS="1,100,1000,10000" selects the sizes (default 1 and 100).
private let sizes: [Int] = {
    guard let env = getenv("ISORING_SCALE_TENANTS") else { return [1, 100] }
    return String(cString: env).split(separator: ",").compactMap { Int($0) }
}()

@Test(.serialized, arguments: sizes)
func scaleProbePrintsFigures(tenants: Int) throws {
    for prewarm in [0, tenants] {
        var options = IsolateOptions()
        options.prewarm = prewarm
        let r = try IsolateScaleProbe(options: options).run(tenants: tenants)
        print("SCALE \(r.markdownRow) pool fill \(r.poolFillNanos / 1_000_000) ms")
        #expect(r.okCount == tenants)
        #expect(r.pooledCount == min(prewarm, tenants))
    }
}
