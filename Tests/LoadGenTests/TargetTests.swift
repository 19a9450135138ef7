// TargetTests: URLs are read and only loopback targets are loaded unless the user names the host.
import Testing
@testable import LoadGen

@Suite struct TargetTests {
    @Test func parsesHostPortAndPath() {
        #expect(TargetURL("http://127.0.0.1:8080/a/b?c=1") == TargetURL(host: "127.0.0.1", port: 8080, path: "/a/b?c=1"))
        #expect(TargetURL("http://localhost")?.port == 80)
        #expect(TargetURL("http://localhost:9")?.path == "/")
        #expect(TargetURL("https://127.0.0.1/") == nil)
        #expect(TargetURL("http://127.0.0.1:notaport/") == nil)
    }

    @Test func refusesRemoteTargetsUnlessNamed() {
        #expect(TargetPolicy.refusal(host: "127.0.0.1", allowed: []) == nil)
        #expect(TargetPolicy.refusal(host: "127.8.9.10", allowed: []) == nil)
        #expect(TargetPolicy.refusal(host: "localhost", allowed: []) == nil)
        #expect(TargetPolicy.refusal(host: "10.0.0.5", allowed: []) != nil)
        #expect(TargetPolicy.refusal(host: "10.0.0.5", allowed: ["10.0.0.5"]) == nil)
        #expect(TargetPolicy.refusal(host: "example.com", allowed: []) != nil)
    }
}

extension TargetURL {
    init(host: String, port: UInt16, path: String) {
        self.init("http://\(host):\(port)\(path)")!
    }
}
