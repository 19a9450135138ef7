// LoggingTests: tenants' console output goes through swift-log with its level and the tenant's
// name; lines below the level are not written.
import Testing

@Suite struct LoggingTests {
    static let script = """
        export default { fetch() {
          console.debug("quiet detail"); console.log("plain line"); console.warn("careful"); console.error("broken");
          return new Response("ok");
        } };
        """

    @Test func consoleLevelsAndTheTenantLabel() throws {
        let f = try Fixture(["t": Self.script], logLevel: .info)
        #expect(f.send("GET", "/t/").text == "ok")
        #expect(f.logs.contains("[t] plain line"))
        #expect(f.logs.contains("[t] warn: careful"))
        #expect(f.logs.contains("[t] error: broken"))
        #expect(!f.logs.contains("quiet detail"))
    }

    @Test func debugLinesAppearAtDebugLevel() throws {
        let f = try Fixture(["t": Self.script], logLevel: .debug)
        #expect(f.send("GET", "/t/").text == "ok")
        #expect(f.logs.contains("[t] quiet detail"))
    }

    @Test func onlyErrorsAtErrorLevel() throws {
        let f = try Fixture(["t": Self.script], logLevel: .error)
        #expect(f.send("GET", "/t/").text == "ok")
        #expect(f.logs.lines == ["[t] error: broken"])
    }
}
