// ScaleTests: 10,000 generated tenants served in one process, one request each, all 200.
import Testing
import Glibc
@testable import Isolates

/// Off unless ISORING_SCALE_TEST is set: 10,000 contexts hold about 12 GB of RSS and take
/// minutes in a debug build, too much for every test run on a shared 2-core machine. Run it
/// with `ISORING_SCALE_TEST=1 swift test -c release -Xswiftc -enable-testing --filter tenThousand`.
@Test(.enabled(if: getenv("ISORING_SCALE_TEST") != nil, "set ISORING_SCALE_TEST=1 (needs ~12 GB RAM)"))
func tenThousandTenantsEachServeOneRequest() throws {
    let result = try IsolateScaleProbe().run(tenants: 10_000)
    #expect(result.okCount == 10_000)
    #expect(result.liveTenants == 10_000)
}
