// SubtleAsymmetric: ECDSA/ECDH on P-256 and P-384, Ed25519, X25519 and RSA for crypto.subtle.
// Private keys travel as PKCS#8 (EC), 32-byte seeds (Ed25519, X25519) or PKCS#1 DER (RSA);
// public keys as uncompressed points (EC), 32 raw bytes, or SPKI DER (RSA).
import Crypto
import _CryptoExtras
import Foundation

/// One NIST curve's operations, so the table below names each curve once.
struct SubtleCurve {
    var generate: () -> (Data, Data)
    var privateFromDER: (Data) throws -> (pkcs8: Data, raw: Data, d: Data)
    var privateFromD: (Data) throws -> (pkcs8: Data, raw: Data)
    var publicFromRaw: (Data) throws -> (raw: Data, spki: Data)
    var publicFromSPKI: (Data) throws -> Data
    var sign: (any Digest, Data) throws -> Data
    var verify: (Data, Data, any Digest) throws -> Bool
    var agree: (Data, Data) throws -> Data
}

enum SubtleAsymmetric {
    static let curves: [String: SubtleCurve] = [
        "P-256": SubtleCurve(
            generate: { let k = P256.Signing.PrivateKey(); return (k.derRepresentation, k.publicKey.x963Representation) },
            privateFromDER: { let k = try P256.Signing.PrivateKey(derRepresentation: $0); return (k.derRepresentation, k.publicKey.x963Representation, k.rawRepresentation) },
            privateFromD: { let k = try P256.Signing.PrivateKey(rawRepresentation: $0); return (k.derRepresentation, k.publicKey.x963Representation) },
            publicFromRaw: { let k = try P256.Signing.PublicKey(x963Representation: $0); return (k.x963Representation, k.derRepresentation) },
            publicFromSPKI: { try P256.Signing.PublicKey(derRepresentation: $0).x963Representation },
            sign: { d, key in try P256.Signing.PrivateKey(derRepresentation: key).signature(for: d).rawRepresentation },
            verify: { sig, key, d in
                try P256.Signing.PublicKey(x963Representation: key).isValidSignature(P256.Signing.ECDSASignature(rawRepresentation: sig), for: d)
            },
            agree: { priv, pub in
                let s = try P256.KeyAgreement.PrivateKey(derRepresentation: priv).sharedSecretFromKeyAgreement(with: P256.KeyAgreement.PublicKey(x963Representation: pub))
                return s.withUnsafeBytes { Data($0) }
            }),
        "P-384": SubtleCurve(
            generate: { let k = P384.Signing.PrivateKey(); return (k.derRepresentation, k.publicKey.x963Representation) },
            privateFromDER: { let k = try P384.Signing.PrivateKey(derRepresentation: $0); return (k.derRepresentation, k.publicKey.x963Representation, k.rawRepresentation) },
            privateFromD: { let k = try P384.Signing.PrivateKey(rawRepresentation: $0); return (k.derRepresentation, k.publicKey.x963Representation) },
            publicFromRaw: { let k = try P384.Signing.PublicKey(x963Representation: $0); return (k.x963Representation, k.derRepresentation) },
            publicFromSPKI: { try P384.Signing.PublicKey(derRepresentation: $0).x963Representation },
            sign: { d, key in try P384.Signing.PrivateKey(derRepresentation: key).signature(for: d).rawRepresentation },
            verify: { sig, key, d in
                try P384.Signing.PublicKey(x963Representation: key).isValidSignature(P384.Signing.ECDSASignature(rawRepresentation: sig), for: d)
            },
            agree: { priv, pub in
                let s = try P384.KeyAgreement.PrivateKey(derRepresentation: priv).sharedSecretFromKeyAgreement(with: P384.KeyAgreement.PublicKey(x963Representation: pub))
                return s.withUnsafeBytes { Data($0) }
            }),
    ]

    static func curve(_ name: String) throws -> SubtleCurve {
        guard let c = curves[name] else { throw SubtleFailure.notSupported("curve \(name)") }
        return c
    }
    static func hashed<H: HashFunction>(_ h: H.Type, _ data: Data) -> any Digest { H.hash(data: data) }

    static func rsaPadding(_ name: String) -> _RSA.Signing.Padding { name == "pss" ? .PSS : .insecurePKCS1v1_5 }
    static func rsaSPKI(_ k: _RSA.Signing.PublicKey) -> Data { k.derRepresentation }
    /// PKCS#8 DER from the PEM swift-crypto gives.
    static func pemBody(_ pem: String) -> Data {
        let b64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: b64) ?? Data()
    }
    static func oaepPadding(_ hash: String) throws -> _RSA.Encryption.Padding {
        switch hash {
        case "SHA-1": return .PKCS1_OAEP
        case "SHA-256": return .PKCS1_OAEP_SHA256
        default: throw SubtleFailure.notSupported("RSA-OAEP with \(hash) (SHA-1 and SHA-256 only)")
        }
    }

    static let operations: [String: SubtleBridge.Operation] = [
        "ec-generate": { a in let (p, r) = try curve(a.string(0)).generate(); return .pair(p, r) },
        "ec-private-der": { a in
            do { let k = try curve(a.string(0)).privateFromDER(a.bytes(1)); return .pair(k.pkcs8, k.raw) }
            catch let f as SubtleFailure { throw f } catch { throw SubtleFailure.data("not a valid \(a.string(0)) private key") }
        },
        "ec-private-d": { a in let k = try curve(a.string(0)).privateFromDER(a.bytes(1)); return .bytes(k.d) },
        "ec-private-from-d": { a in
            do { let k = try curve(a.string(0)).privateFromD(a.bytes(1)); return .pair(k.pkcs8, k.raw) }
            catch { throw SubtleFailure.data("not a valid \(a.string(0)) private scalar") }
        },
        "ec-public-raw": { a in
            do { let k = try curve(a.string(0)).publicFromRaw(a.bytes(1)); return .pair(k.raw, k.spki) }
            catch { throw SubtleFailure.data("not a valid \(a.string(0)) point") }
        },
        "ec-public-spki": { a in
            do { return .bytes(try curve(a.string(0)).publicFromSPKI(a.bytes(1))) }
            catch { throw SubtleFailure.data("not a valid \(a.string(0)) SPKI") }
        },
        "ecdsa-sign": { a in .bytes(try curve(a.string(0)).sign(hashed(try SubtleBridge.hash(a.string(1)), a.bytes(3)), a.bytes(2))) },
        "ecdsa-verify": { a in
            let c = try curve(a.string(0))
            let d = hashed(try SubtleBridge.hash(a.string(1)), a.bytes(4))
            return .bool((try? c.verify(a.bytes(3), a.bytes(2), d)) ?? false)
        },
        "ecdh": { a in .bytes(try curve(a.string(0)).agree(a.bytes(1), a.bytes(2))) },

        "ed25519-generate": { _ in let k = Curve25519.Signing.PrivateKey(); return .pair(k.rawRepresentation, k.publicKey.rawRepresentation) },
        "ed25519-public": { a in .bytes(try Curve25519.Signing.PrivateKey(rawRepresentation: a.bytes(0)).publicKey.rawRepresentation) },
        "ed25519-sign": { a in .bytes(try Curve25519.Signing.PrivateKey(rawRepresentation: a.bytes(0)).signature(for: a.bytes(1))) },
        "ed25519-verify": { a in
            .bool((try? Curve25519.Signing.PublicKey(rawRepresentation: a.bytes(0)).isValidSignature(a.bytes(1), for: a.bytes(2))) ?? false)
        },
        "x25519-generate": { _ in let k = Curve25519.KeyAgreement.PrivateKey(); return .pair(k.rawRepresentation, k.publicKey.rawRepresentation) },
        "x25519-public": { a in .bytes(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: a.bytes(0)).publicKey.rawRepresentation) },
        "x25519": { a in
            let s = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: a.bytes(0))
                .sharedSecretFromKeyAgreement(with: Curve25519.KeyAgreement.PublicKey(rawRepresentation: a.bytes(1)))
            return .bytes(s.withUnsafeBytes { Data($0) })
        },

        "rsa-generate": { a in
            let k = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: a.int(0)))
            return .pair(k.derRepresentation, rsaSPKI(k.publicKey))
        },
        "rsa-private-der": { a in
            do { let k = try _RSA.Signing.PrivateKey(unsafeDERRepresentation: a.bytes(0)); return .pair(k.derRepresentation, rsaSPKI(k.publicKey)) }
            catch { throw SubtleFailure.data("not a valid RSA private key") }
        },
        "rsa-pkcs8": { a in .bytes(pemBody(try _RSA.Signing.PrivateKey(unsafeDERRepresentation: a.bytes(0)).pkcs8PEMRepresentation)) },
        "rsa-from-jwk": { a in
            do {
                let k = try _RSA.Signing.PrivateKey(n: a.bytes(0), e: a.bytes(1), d: a.bytes(2), p: a.bytes(3), q: a.bytes(4))
                return .pair(k.derRepresentation, rsaSPKI(k.publicKey))
            } catch { throw SubtleFailure.data("not a valid RSA private JWK") }
        },
        "rsa-public-der": { a in
            do { return .bytes(rsaSPKI(try _RSA.Signing.PublicKey(unsafeDERRepresentation: a.bytes(0)))) }
            catch { throw SubtleFailure.data("not a valid RSA public key") }
        },
        "rsa-public-from-ne": { a in
            do { return .bytes(rsaSPKI(try _RSA.Signing.PublicKey(n: a.bytes(0), e: a.bytes(1)))) }
            catch { throw SubtleFailure.data("not a valid RSA public JWK") }
        },
        "rsa-primitives": { a in
            let p = try _RSA.Signing.PublicKey(unsafeDERRepresentation: a.bytes(0)).getKeyPrimitives()
            return .pair(p.modulus, p.publicExponent)
        },
        "rsa-sign": { a in
            let k = try _RSA.Signing.PrivateKey(unsafeDERRepresentation: a.bytes(2))
            let d = hashed(try SubtleBridge.hash(a.string(1)), a.bytes(3))
            return .bytes(try k.signature(for: d, padding: rsaPadding(a.string(0))).rawRepresentation)
        },
        "rsa-verify": { a in
            let k = try _RSA.Signing.PublicKey(unsafeDERRepresentation: a.bytes(2))
            let d = hashed(try SubtleBridge.hash(a.string(1)), a.bytes(4))
            return .bool(k.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: a.bytes(3)), for: d, padding: rsaPadding(a.string(0))))
        },
        "rsa-oaep": { a in
            let padding = try oaepPadding(a.string(1))
            if a.bool(0) { return .bytes(try _RSA.Encryption.PublicKey(unsafeDERRepresentation: a.bytes(2)).encrypt(a.bytes(3), padding: padding)) }
            do { return .bytes(try _RSA.Encryption.PrivateKey(unsafeDERRepresentation: a.bytes(2)).decrypt(a.bytes(3), padding: padding)) }
            catch { throw SubtleFailure.operation("RSA-OAEP: decryption failed") }
        },
    ]
}
