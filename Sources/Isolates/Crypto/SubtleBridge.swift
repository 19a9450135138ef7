// SubtleBridge: the native half of crypto.subtle: one `native.subtle(op, ...)` function whose
// operations take and return bytes; keys, algorithm checks and formats stay in ext-subtle.js.
import Crypto
import _CryptoExtras
import Foundation
import JSCGlue

/// What an operation returns to JavaScript.
enum SubtleResult {
    case bytes(Data)
    case pair(Data, Data)
    case bool(Bool)
}

/// Why an operation failed; JavaScript turns `name` into the DOMException's name.
struct SubtleFailure: Error {
    var name: String
    var message: String
    static func notSupported(_ m: String) -> SubtleFailure { SubtleFailure(name: "NotSupportedError", message: m) }
    static func data(_ m: String) -> SubtleFailure { SubtleFailure(name: "DataError", message: m) }
    static func operation(_ m: String) -> SubtleFailure { SubtleFailure(name: "OperationError", message: m) }
}

/// The arguments after the operation's name, read by position.
struct SubtleArguments {
    let args: JSCArguments
    func bytes(_ i: Int) -> Data {
        guard let raw = args.context.bytes(of: args[i + 1]) else { return Data() }
        return Data(raw)
    }
    func string(_ i: Int) -> String { args.context.toString(args[i + 1]) }
    func int(_ i: Int) -> Int { args.context.toInt(args[i + 1]) }
    func bool(_ i: Int) -> Bool { args.context.toBool(args[i + 1]) }
}

enum SubtleBridge {
    typealias Operation = (SubtleArguments) throws -> SubtleResult

    /// Every operation by name: symmetric ones here, asymmetric ones in SubtleAsymmetric.
    static let operations: [String: Operation] = symmetric.merging(SubtleAsymmetric.operations) { a, _ in a }

    static func install(on bridge: JSCValue, in ctx: JSCContext) {
        ctx.setProperty(bridge, "subtle", ctx.makeFunction { args in
            let c = args.context
            let name = c.toString(args[0])
            do {
                guard let op = operations[name] else { throw SubtleFailure.notSupported("no native operation \(name)") }
                switch try op(SubtleArguments(args: args)) {
                case .bytes(let d): return d.withUnsafeBytes { c.uint8Array(copying: $0) }
                case .bool(let b): return c.boolean(b)
                case .pair(let a, let b):
                    let o = c.makeObject()
                    c.setProperty(o, "a", a.withUnsafeBytes { c.uint8Array(copying: $0) })
                    c.setProperty(o, "b", b.withUnsafeBytes { c.uint8Array(copying: $0) })
                    return o
                }
            } catch let f as SubtleFailure {
                throw JSCThrow(c.makeError("\(f.name)|\(f.message)"))
            } catch {
                throw JSCThrow(c.makeError("OperationError|\(name): \(error)"))
            }
        })
    }

    static func hash(_ name: String) throws -> any HashFunction.Type {
        switch name {
        case "SHA-1": return Insecure.SHA1.self
        case "SHA-256": return SHA256.self
        case "SHA-384": return SHA384.self
        case "SHA-512": return SHA512.self
        default: throw SubtleFailure.notSupported("hash \(name)")
        }
    }

    static func digest<H: HashFunction>(_ h: H.Type, _ data: Data) -> Data { Data(H.hash(data: data)) }

    /// AES-GCM with WebCrypto's tag lengths. swift-crypto seals and opens with 16-byte tags
    /// only; a shorter tag is the full tag's prefix (NIST SP 800-38D), so decryption with one
    /// recovers the plaintext with AES-CTR from counter block IV || 2 (96-bit IVs), seals it
    /// again and compares the tags' prefixes in constant time.
    static func aesGCM(encrypt: Bool, key: SymmetricKey, iv: Data, data: Data, aad: Data, tagBytes: Int) throws -> SubtleResult {
        let nonce = try AES.GCM.Nonce(data: iv)
        if encrypt {
            let box = try AES.GCM.seal(data, using: key, nonce: nonce, authenticating: aad)
            return .bytes(box.ciphertext + box.tag.prefix(tagBytes))
        }
        guard data.count >= tagBytes else { throw SubtleFailure.operation("AES-GCM: data shorter than the tag") }
        let ciphertext = data.prefix(data.count - tagBytes), tag = data.suffix(tagBytes)
        if tagBytes == 16 {
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
            do { return .bytes(try AES.GCM.open(box, using: key, authenticating: aad)) }
            catch { throw SubtleFailure.operation("AES-GCM: authentication failed") }
        }
        guard iv.count == 12 else { throw SubtleFailure.notSupported("AES-GCM: tags shorter than 128 bits need a 96-bit iv here") }
        let plaintext = try AES._CTR.encrypt(ciphertext, using: key, nonce: AES._CTR.Nonce(nonceBytes: iv + [0, 0, 0, 2]))
        let expected = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: aad).tag.prefix(tagBytes)
        var diff: UInt8 = 0
        for (x, y) in zip(expected, tag) { diff |= x ^ y }
        guard diff == 0 else { throw SubtleFailure.operation("AES-GCM: authentication failed") }
        return .bytes(plaintext)
    }
    static func hmac<H: HashFunction>(_ h: H.Type, _ key: Data, _ data: Data) -> Data {
        Data(HMAC<H>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }
    static func hkdf<H: HashFunction>(_ h: H.Type, _ ikm: Data, _ salt: Data, _ info: Data, _ count: Int) -> Data {
        HKDF<H>.deriveKey(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt, info: info, outputByteCount: count)
            .withUnsafeBytes { Data($0) }
    }

    static let symmetric: [String: Operation] = [
        "digest": { a in .bytes(digest(try hash(a.string(0)), a.bytes(1))) },
        "hmac": { a in .bytes(hmac(try hash(a.string(0)), a.bytes(1), a.bytes(2))) },
        "hkdf": { a in .bytes(hkdf(try hash(a.string(0)), a.bytes(1), a.bytes(2), a.bytes(3), a.int(4))) },
        "pbkdf2": { a in
            let functions: [String: KDF.Insecure.PBKDF2.HashFunction] = [
                "SHA-1": .insecureSHA1, "SHA-256": .sha256, "SHA-384": .sha384, "SHA-512": .sha512]
            guard let h = functions[a.string(0)] else { throw SubtleFailure.notSupported("PBKDF2 hash \(a.string(0))") }
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: a.bytes(1), salt: a.bytes(2), using: h,
                                                        outputByteCount: a.int(4), unsafeUncheckedRounds: a.int(3))
            return .bytes(key.withUnsafeBytes { Data($0) })
        },
        // (encrypt, key, iv, data, additionalData, tagBytes): ciphertext with its tag appended.
        "aes-gcm": { a in try aesGCM(encrypt: a.bool(0), key: SymmetricKey(data: a.bytes(1)), iv: a.bytes(2),
                                     data: a.bytes(3), aad: a.bytes(4), tagBytes: a.int(5)) },
        "aes-cbc": { a in
            let key = SymmetricKey(data: a.bytes(1))
            let iv = try AES._CBC.IV(ivBytes: a.bytes(2))
            if a.bool(0) { return .bytes(try AES._CBC.encrypt(a.bytes(3), using: key, iv: iv)) }
            do { return .bytes(try AES._CBC.decrypt(a.bytes(3), using: key, iv: iv)) }
            catch { throw SubtleFailure.operation("AES-CBC: decryption failed (bad padding)") }
        },
        "aes-ctr": { a in
            let nonce = try AES._CTR.Nonce(nonceBytes: a.bytes(2))
            return .bytes(try AES._CTR.encrypt(a.bytes(3), using: SymmetricKey(data: a.bytes(1)), nonce: nonce))
        },
    ]
}
