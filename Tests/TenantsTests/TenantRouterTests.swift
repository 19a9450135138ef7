// TenantRouterTests: host and path routing, pure.
import Tenants
import Testing

private func route(host: String?, _ target: String, _ routing: TenantRouting = .hostOrPath,
                   known: Set<String> = ["hello", "echo", "a-1"]) -> TenantRoute {
    let t = Array(target.utf8)
    return t.withUnsafeBytes { tb in
        if let host {
            let h = Array(host.utf8)
            return h.withUnsafeBytes { hb in TenantRouter.route(host: hb, target: tb, routing: routing) { known.contains($0) } }
        }
        return TenantRouter.route(host: nil, target: tb, routing: routing) { known.contains($0) }
    }
}

@Test func hostFirstLabelPicksTheTenant() {
    #expect(route(host: "echo.localhost:8080", "/x") == .tenant("echo"))
    #expect(route(host: "hello.example.com", "/") == .tenant("hello"))
    #expect(route(host: "a-1.localhost", "/") == .tenant("a-1"))
}

@Test func pathPrefixPicksTheTenant() {
    #expect(route(host: "127.0.0.1:8080", "/echo") == .tenant("echo"))
    #expect(route(host: "127.0.0.1:8080", "/echo/deeper?q=1") == .tenant("echo"))
    #expect(route(host: "127.0.0.1:8080", "/echo?q=1") == .tenant("echo"))
    #expect(route(host: "localhost", "http://localhost/echo/x") == .tenant("echo"))
}

@Test func hostWinsOverPath() {
    #expect(route(host: "hello.localhost", "/echo/") == .tenant("hello"))
}

@Test func unknownNamesAreMissesWithTheirCandidate() {
    #expect(route(host: "nope.localhost", "/") == .miss(candidate: "nope", isLocalHost: false))
    #expect(route(host: "127.0.0.1:8080", "/nope/x") == .miss(candidate: "nope", isLocalHost: true))
    #expect(route(host: "localhost", "/") == .miss(candidate: nil, isLocalHost: true))
    #expect(route(host: nil, "/") == .miss(candidate: nil, isLocalHost: true))
    // Upper case and dots are not tenant names.
    #expect(route(host: "127.0.0.1", "/Echo") == .miss(candidate: nil, isLocalHost: true))
    #expect(route(host: "127.0.0.1", "/favicon.ico") == .miss(candidate: nil, isLocalHost: true))
}

@Test func numericHostLabelsAreNotTenants() {
    #expect(route(host: "127.0.0.1", "/", known: ["127"]) == .miss(candidate: nil, isLocalHost: true))
}

@Test func hostModeIgnoresPathAndPathModeIgnoresHost() {
    #expect(route(host: "127.0.0.1", "/echo", .host) == .miss(candidate: nil, isLocalHost: true))
    #expect(route(host: "echo.localhost", "/", .host) == .tenant("echo"))
    #expect(route(host: "echo.localhost", "/", .path) == .miss(candidate: nil, isLocalHost: false))
    #expect(route(host: "echo.localhost", "/hello/", .path) == .tenant("hello"))
}

@Test func validNamesAreLowercaseDigitsAndDashes() {
    #expect(TenantRouter.isValidName(Array("abc-09".utf8)))
    #expect(!TenantRouter.isValidName(Array("".utf8)))
    #expect(!TenantRouter.isValidName(Array("a_b".utf8)))
    #expect(!TenantRouter.isValidName(Array(String(repeating: "a", count: 64).utf8)))
}
