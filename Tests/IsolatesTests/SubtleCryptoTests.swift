// SubtleCryptoTests: crypto.subtle through a tenant: known-answer vectors and round trips for
// every algorithm family, and timingSafeEqual.
import Foundation
import Testing
@testable import Isolates

@Suite struct SubtleCryptoTests {
    @Test func everyAlgorithmFamilyAnswersAndRoundTrips() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("JavaScript/subtle-roundtrips.js").path
        let f = try Fixture(["c": try String(contentsOfFile: path, encoding: .utf8)], cpuLimitMs: 10_000)
        let r = f.send("GET", "/c")
        let j = r.json()
        #expect(r.status == 200, "\(f.logs.lines)")
        #expect(j["sha256"] as? String == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let hmac = j["hmac"] as? [Any]
        #expect(hmac?.first as? String == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", "\(j)")
        #expect(hmac?.last as? Bool == true)
        #expect((j["ecdsa"] as? [Any])?.first as? Int == 96, "\(j)")
        #expect((j["ecdsa"] as? [Any])?[1] as? Bool == true)
        #expect(j["ecdh"] as? Bool == true, "\(j)")
        #expect(j["ed25519"] as? [Bool] == [true, true], "\(j)")
        let rsa = j["rsa"] as? [Any]
        #expect(rsa?.first as? Bool == true && rsa?[1] as? String == "PS256" && rsa?[2] as? Int == 2048, "\(j)")
        #expect(j["oaep"] as? String == "secret", "\(j)")
        #expect(j["aesgcm"] as? String == "hello", "\(j)")
        #expect((j["aescbc"] as? [String])?.last == "hello", "\(j)")
        #expect(j["pbkdf2"] as? String == "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        #expect(j["hkdf"] as? String == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        #expect(j["tse"] as? [Bool] == [true, false])
    }

    @Test func errorsAreTheSpecsDOMExceptions() throws {
        let f = try Fixture(["e": """
        export default { async fetch() {
          const s = crypto.subtle, out = {};
          const name = async (p) => { try { await p; return 'resolved'; } catch (e) { return e.name; } };
          out.unknown = await name(s.digest('MD5', new Uint8Array(1)));
          out.usage = await name(s.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['sign']));
          const k = await s.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']);
          out.wrongUsage = await name(s.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k, new Uint8Array(32)));
          out.notExtractable = await name(s.exportKey('raw', k));
          const k2 = await s.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['decrypt']);
          out.tampered = await name(s.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k2, new Uint8Array(32)));
          out.lengths = (() => { try { s.timingSafeEqual(new Uint8Array(1), new Uint8Array(2)); return 'no error'; } catch (e) { return e.name; } })();
          out.keyTag = Object.prototype.toString.call(k) + ' ' + (k instanceof CryptoKey);
          return Response.json(out);
        } };
        """])
        let j = f.send("GET", "/e").json()
        #expect(j["unknown"] as? String == "NotSupportedError", "\(j) \(f.logs.lines)")
        #expect(j["usage"] as? String == "SyntaxError")
        #expect(j["wrongUsage"] as? String == "InvalidAccessError")
        #expect(j["notExtractable"] as? String == "InvalidAccessError")
        #expect(j["tampered"] as? String == "OperationError")
        #expect(j["lengths"] as? String == "TypeError")
        #expect(j["keyTag"] as? String == "[object CryptoKey] true")
    }

    /// AES-GCM with a 96-bit tag: the known answer is node's (OpenSSL's) output for the same
    /// key, iv, additional data and plaintext.
    @Test func aesGCMShortTagsMatchOpenSSLAndAuthenticate() throws {
        let f = try Fixture(["g": """
        const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
        export default { async fetch() {
          const s = crypto.subtle;
          const key = await s.importKey('raw', new Uint8Array(16).fill(7), 'AES-GCM', false, ['encrypt', 'decrypt']);
          const alg = { name: 'AES-GCM', iv: new Uint8Array(12).fill(9), additionalData: new TextEncoder().encode('hdr'), tagLength: 96 };
          const ct = new Uint8Array(await s.encrypt(alg, key, new TextEncoder().encode('short tags')));
          const back = new TextDecoder().decode(await s.decrypt(alg, key, ct));
          ct[ct.length - 1] ^= 1;
          let tampered; try { await s.decrypt(alg, key, ct); tampered = 'decrypted'; } catch (e) { tampered = e.name; }
          let badLength; try { await s.encrypt({ ...alg, tagLength: 100 }, key, new Uint8Array(1)); } catch (e) { badLength = e.name; }
          ct[ct.length - 1] ^= 1;
          return Response.json({ ct: hex(ct), back, tampered, badLength });
        } };
        """])
        let j = f.send("GET", "/g").json()
        #expect(j["ct"] as? String == "d1c605232df5b8ca6d12a744a64b2d47206fee1afce5", "\(j) \(f.logs.lines)")
        #expect(j["back"] as? String == "short tags")
        #expect(j["tampered"] as? String == "OperationError")
        #expect(j["badLength"] as? String == "OperationError")
    }

    /// The WPT WebCryptoAPI vectors (HMAC, EdDSA, AES-CBC) through a tenant; Ed448 is not
    /// supported (swift-crypto has no Ed448), so its checks fail with NotSupportedError.
    @Test func wptSignVerifyVectors() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let runner = try String(contentsOf: here.appendingPathComponent("JavaScript/webcrypto-vectors-runner.js"), encoding: .utf8)
        var all = try JSONSerialization.jsonObject(with: Data(contentsOf: here.appendingPathComponent("WPT/webcrypto-sign-verify-vectors.json"))) as! [String: Any]
        all["aesCbc"] = try JSONSerialization.jsonObject(with: Data(contentsOf: here.appendingPathComponent("WPT/webcrypto-aes-cbc-vectors.json")))
        let vectors = String(decoding: try JSONSerialization.data(withJSONObject: all), as: UTF8.self)
        let f = try Fixture(["wpt": runner], cpuLimitMs: 10_000)
        let r = f.send("POST", "/wpt", headers: [("Content-Type", "application/json")], body: vectors)
        let j = r.json() as? [String: [String: Any]] ?? [:]
        for (alg, counts) in j.sorted(by: { $0.key < $1.key }) {
            print("WebCryptoAPI vectors \(alg): \(counts["passed"] ?? 0) passed, \(counts["failed"] ?? 0) failed \(counts["failures"] ?? [])")
        }
        #expect(j["HMAC"]?["passed"] as? Int == 32, "\(j) \(f.logs.lines)")
        #expect(j["HMAC"]?["failed"] as? Int == 0)
        #expect(j["Ed25519"]?["passed"] as? Int == 14, "\(j)")
        #expect(j["Ed25519"]?["failed"] as? Int == 0)
        #expect(j["AES-CBC"]?["passed"] as? Int == 27, "\(j)")
        #expect(j["AES-CBC"]?["failed"] as? Int == 0)
        #expect(j["Ed448"]?["passed"] as? Int == 0)
        #expect((j["Ed448"]?["failures"] as? [String])?.allSatisfy { $0.contains("NotSupportedError") } == true, "\(j)")
    }
}
