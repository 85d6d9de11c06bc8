import Foundation
import Crypto
import _CryptoExtras

/// PIN hashes, as stored on central and copied to registers for offline login.
/// Format: `pbkdf2-sha256$ROUNDS$SALT_B64$HASH_B64`, so the cost can rise later
/// without invalidating stored hashes.
public struct PinHasher: Sendable {
    /// OWASP's floor for PBKDF2-SHA256. Tests may pass fewer rounds to stay fast.
    public static let defaultRounds = 210_000

    public var rounds: Int
    public init(rounds: Int = PinHasher.defaultRounds) { self.rounds = rounds }

    public func hash(pin: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let key = try Self.derive(pin: pin, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Constant-time comparison; false (never a throw) for a malformed stored hash.
    public static func verify(pin: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0, rounds <= 10_000_000,
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              let actual = try? derive(pin: pin, salt: Array(salt), rounds: rounds),
              actual.count == expected.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(actual, expected) { diff |= a ^ b }
        return diff == 0
    }

    static func derive(pin: String, salt: [UInt8], rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(pin.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }
}

/// Bearer tokens for registers and users: 256 random bits, shown once, stored
/// only as a SHA-256 (a high-entropy secret needs no slow hash).
public enum BearerToken {
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return HashChain.hex(bytes)
    }

    public static func digest(_ token: String) -> String {
        HashChain.hex(SHA256.hash(data: Array(token.utf8)))
    }
}
