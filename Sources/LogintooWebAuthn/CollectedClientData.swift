import Foundation

/// The client data the browser collected and the authenticator's signature covers through its hash (WebAuthn §5.8.1).
public struct CollectedClientData: Sendable, Equatable, Decodable {
    /// `webauthn.create` or `webauthn.get`.
    public let type: String
    /// The challenge, base64url as the browser sent it.
    public let challenge: String
    /// The origin of the page that ran the ceremony.
    public let origin: String
    /// Whether the page was in a frame of another origin; absent from older browsers.
    public let crossOrigin: Bool?
    /// The top-level origin, when the page was in a cross-origin frame.
    public let topOrigin: String?

    public init(type: String, challenge: String, origin: String, crossOrigin: Bool?, topOrigin: String?) {
        self.type = type
        self.challenge = challenge
        self.origin = origin
        self.crossOrigin = crossOrigin
        self.topOrigin = topOrigin
    }

    /// Browsers write a few hundred bytes; anything far larger is not client data.
    public static let maxBytes = 16 * 1024

    /// Reads `clientDataJSON`; members other than these five are ignored, as the specification asks.
    public static func parse(_ json: [UInt8]) throws(WebAuthnError) -> CollectedClientData {
        guard json.count <= maxBytes else { throw .malformed("client data is too large") }
        do {
            return try JSONDecoder().decode(CollectedClientData.self, from: Data(json))
        } catch {
            throw .malformed("client data is not a JSON object with text type, challenge and origin")
        }
    }
}
