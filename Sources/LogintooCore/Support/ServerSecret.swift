import Crypto
import Foundation

/// The server's root secret; every purpose gets its own key derived from it, so no key serves two ends.
public struct ServerSecret: Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 32 else { throw ServerSecretError.tooShort }
        self.bytes = bytes
    }

    /// The key for one purpose, by HKDF-SHA-256.
    public func key(for purpose: KeyPurpose) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes),
            info: Data("logintoo/\(purpose.rawValue)".utf8),
            outputByteCount: 32
        )
    }
}

/// What a derived key is for.
public enum KeyPurpose: String, Sendable {
    case oneTimeCode = "one-time-code"
    case csrf
    case keyEncryption = "key-encryption"
    case outboxEncryption = "outbox-encryption"
    case logintooAPI = "logintoo-api"
    /// The pseudonym an erased account's audit records keep.
    case auditPseudonym = "audit-pseudonym"
    /// Server-provided DPoP nonces (`DPoPNonces`).
    case dpopNonce = "dpop-nonce"
    /// Webhook endpoints' signing secrets, sealed in the store (`WebhookSigningKeys`).
    case webhookSecret = "webhook-secret"
}

public enum ServerSecretError: Error, CustomStringConvertible {
    case tooShort
    public var description: String { "the server secret must be at least 32 bytes" }
}

/// AES-GCM sealing for data that must be readable again by the server but not by whoever holds a database dump.
public enum Sealing {
    public static func seal(_ plaintext: String, key: SymmetricKey) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key)
        guard let combined = box.combined else { throw SealingError.failed }
        return Base64URL.encode(combined)
    }

    public static func open(_ sealed: String, key: SymmetricKey) throws -> String {
        guard let bytes = Base64URL.decode(sealed) else { throw SealingError.failed }
        let box = try AES.GCM.SealedBox(combined: Data(bytes))
        let plain = try AES.GCM.open(box, using: key)
        guard let text = String(data: plain, encoding: .utf8) else { throw SealingError.failed }
        return text
    }
}

public enum SealingError: Error, CustomStringConvertible {
    case failed
    public var description: String { "sealed data could not be opened: wrong server secret or corrupted data" }
}
