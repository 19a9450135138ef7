// TenantNamesTests: the front and workers resolve requests to tenants as the runtime does:
// built-in names, the default tenant, folder tenants found by file.
import Glibc
import HTTP1
import Tenants
import Testing

@Suite struct TenantNamesTests {
    static let demo = TenantSource.builtIn(BuiltInTenants(
        scripts: ["hello": "", "echo": "", "json": ""], defaultTenant: "hello"))

    func resolve(_ names: TenantNames, _ raw: String) -> String? {
        var parser = HTTPRequestParser()
        var bytes = Array(raw.utf8)
        return bytes.withUnsafeMutableBytes { buf -> String? in
            guard case .complete = parser.parse(buf) else { return "unparsed" }
            return names.resolve(parser.request, in: UnsafeRawBufferPointer(buf))
        }
    }

    @Test func builtInNamesAndTheDefaultTenantResolve() {
        let names = TenantNames(source: Self.demo, routing: .hostOrPath)
        #expect(resolve(names, "GET /echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") == "echo")
        #expect(resolve(names, "GET / HTTP/1.1\r\nHost: json.localhost:8080\r\n\r\n") == "json")
        #expect(resolve(names, "GET /nosuch/ HTTP/1.1\r\nHost: localhost\r\n\r\n") == "hello")
        #expect(resolve(names, "GET / HTTP/1.1\r\nHost: nobody.localhost\r\n\r\n") == nil)
        let pathOnly = TenantNames(source: Self.demo, routing: .path)
        #expect(resolve(pathOnly, "GET / HTTP/1.1\r\nHost: echo.localhost\r\n\r\n") == nil)
    }

    @Test func folderTenantsAreFoundByFile() throws {
        let dir = "/tmp/isoring-names-\(getpid())"
        mkdir(dir, 0o755)
        defer { unlink("\(dir)/alpha.js"); rmdir(dir) }
        let names = TenantNames(source: .directory(dir), routing: .hostOrPath)
        #expect(resolve(names, "GET /alpha/ HTTP/1.1\r\nHost: x\r\n\r\n") == nil)
        let f = fopen("\(dir)/alpha.js", "w")
        fclose(f)
        #expect(resolve(names, "GET /alpha/ HTTP/1.1\r\nHost: x\r\n\r\n") == "alpha")
    }
}
