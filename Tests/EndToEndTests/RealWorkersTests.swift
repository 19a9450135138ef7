// RealWorkersTests: real-shaped workers (Workers/*.js beside this file) served by the real
// binary in the isolate and process models: a bundler's output, a Hono-style router, HMAC
// request signing, Basic auth with timingSafeEqual, a multipart upload, cookies, and an
// AbortSignal timeout.
import Foundation
import TestSupport
import Testing

/// Workers/ beside this file, copied to a temporary tenants folder once.
let realWorkersFolder: String = {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Workers").path
    let dir = TemporaryFolders.make("isoring-real-workers") + "/workers"
    try! FileManager.default.copyItem(atPath: source, toPath: dir)
    return dir
}()

@Suite("real-shaped workers, isolate and process models")
struct RealWorkersTests {
    static let modes = [Mode(io: .epoll, isolation: .isolate), Mode(io: .epoll, isolation: .process)]

    private func serve(_ mode: Mode) throws -> ServerProcess {
        try ServerProcess(mode.arguments + ["--tenants", realWorkersFolder, "--cpu-limit-ms", "2000"])
    }

    @Test(arguments: modes)
    func bundlerOutputWithRegexLiteralsAndExportAsDefault(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let r = try request(server.port, "POST", "/bundle//a///b", body: "say \"hi\" and 'bye' now")
        #expect(r.status == 200, "\(r.text)")
        let j = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        #expect(j["quoted"] as? [String] == ["\"hi\"", "'bye'"])
        #expect(j["path"] as? String == "/bundle/a/b")
        #expect(j["ratio"] as? Double == 0.4)
        #expect(j["label"] as? String == "path is /bundle/a/b /not a regex/")
    }

    @Test(arguments: modes)
    func honoStyleRouterWithParamsMiddlewareAndStatus(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let user = try request(server.port, "GET", "/router/users/42", headers: ["User-Agent: e2e"])
        #expect(user.status == 200)
        #expect(user.header("x-powered-by") == "isoring-test")
        #expect(user.text == #"{"id":"42","ua":"e2e"}"#)
        let post = try request(server.port, "POST", "/router/users/7/posts/hello%20world", headers: ["Content-Type: application/json"], body: #"{"n":1}"#)
        #expect(post.status == 201)
        #expect(post.text == #"{"id":"7","post":"hello world","body":{"n":1}}"#)
        #expect(try request(server.port, "GET", "/router/static/a/b.css").text == "static")
        #expect(try request(server.port, "GET", "/router/nowhere").status == 404)
    }

    @Test(arguments: modes)
    func hmacSignedRequestsAreVerified(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let body = "The quick brown fox jumps over the lazy dog"
        let good = try request(server.port, "POST", "/signed/", headers: ["X-Signature: f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"], body: body)
        #expect(good.status == 200, "\(good.text)")
        #expect(good.header("x-reply-signature") == "fa2ea25ae9695268d015acf73147388474c4e99ee754875394eb351efebbfc70")
        let tampered = try request(server.port, "POST", "/signed/", headers: ["X-Signature: f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"], body: body + "!")
        #expect(tampered.status == 401)
        #expect(try request(server.port, "POST", "/signed/", body: body).status == 401)
    }

    @Test(arguments: modes)
    func basicAuthWithTimingSafeEqual(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let ok = try request(server.port, "GET", "/auth/", headers: ["Authorization: Basic YWRtaW46czNjcmV0"])
        #expect(ok.status == 200 && ok.text == "welcome\n", "\(ok.text)")
        let wrong = try request(server.port, "GET", "/auth/", headers: ["Authorization: Basic YWRtaW46d3Jvbmc="])
        #expect(wrong.status == 401)
        #expect(wrong.header("www-authenticate") == #"Basic realm="test", charset="UTF-8""#)
        #expect(try request(server.port, "GET", "/auth/").status == 401)
    }

    @Test(arguments: modes)
    func multipartFormUpload(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let body = "--b0undary\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQuarterly report\r\n"
            + "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\nabc\r\n"
            + "--b0undary--\r\n"
        let r = try request(server.port, "POST", "/upload/", headers: ["Content-Type: multipart/form-data; boundary=b0undary"], body: body)
        #expect(r.status == 200, "\(r.text)")
        #expect(r.text == #"{"title":"Quarterly report","name":"r.csv","type":"text/csv","size":3,"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#)
    }

    @Test(arguments: modes)
    func cookiesAreParsedAndSetBack(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let r = try request(server.port, "GET", "/cookies/", headers: [#"Cookie: visits=2; name="Ada%20L"; theme=dark"#])
        #expect(r.status == 200)
        #expect(r.text == #"{"cookies":{"visits":"2","name":"Ada L","theme":"dark"},"visits":3}"#)
        let setCookies = r.headers.filter { $0.0.lowercased() == "set-cookie" }.map(\.1)
        #expect(setCookies == ["visits=3; Path=/; HttpOnly; SameSite=Lax", "seen=Ada%20L; Path=/"])
    }

    @Test(arguments: modes)
    func abortSignalTimeoutWinsTheRace(_ mode: Mode) throws {
        let server = try serve(mode)
        defer { server.stop() }
        let r = try request(server.port, "GET", "/timeout/?ms=50")
        #expect(r.status == 504)
        #expect(r.text == "TimeoutError: The operation timed out.\n")
        let fast = try request(server.port, "GET", "/timeout/?ms=20000")
        #expect(fast.status == 200 && fast.text == "upstream answered")
    }

    @Test(arguments: modes)
    func requestCfComesFromTheCfFlag(_ mode: Mode) throws {
        let server = try ServerProcess(mode.arguments + ["--tenants", realWorkersFolder, "--cf", "colo=AMS,country=NL,asn=64500"])
        defer { server.stop() }
        let r = try request(server.port, "GET", "/cf/")
        #expect(r.text == #"{"cf":{"colo":"AMS","country":"NL","asn":64500},"frozen":true}"#)
        let plain = try serve(mode)
        defer { plain.stop() }
        #expect(try request(plain.port, "GET", "/cf/").text == #"{"cf":{},"frozen":true}"#)
    }

    @Test func malformedCfFlagIsNamed() throws {
        let (status, output) = try runIsoring(["serve", "--cf", "colo"])
        #expect(status != 0)
        #expect(output.contains("--cf: expected name=value pairs"), "\(output)")
    }
}
