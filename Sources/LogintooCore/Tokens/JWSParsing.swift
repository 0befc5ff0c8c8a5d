import Foundation

/// A compact JWS split into its parts, before any key is involved. Everything here meets untrusted bytes.
public struct ParsedJWS: Sendable, Equatable {
    /// The protected header members a verifier looks at; any other member is ignored.
    public struct Header: Decodable, Sendable, Equatable {
        public var alg: String
        public var kid: String?
        public var typ: String?
        public var crit: [String]?
        public var jku: String?
        public var x5u: String?
        public var jwk: JSONValue?
        public var x5c: JSONValue?
    }

    public static let maxLength = 16_384

    public let header: Header
    /// `BASE64URL(header) '.' BASE64URL(payload)`, the bytes the signature covers.
    public let signingInput: Data
    public let payload: Data
    public let signature: Data

    /// Splits `token`; `nil` when it is not three base64url parts with a JSON object header (no duplicate names) that
    /// names an algorithm, or is longer than `maxLength`.
    public init?(_ token: String) {
        guard token.utf8.count <= Self.maxLength else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]),
              case .object(_)? = try? StrictJSON.parse(headerBytes),
              let header = try? JSONText.decoder.decode(Header.self, from: Data(headerBytes)),
              let payload = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.header = header
        self.signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.payload = Data(payload)
        self.signature = Data(signature)
    }

    /// Whether the header is one this server could have written for a token of `type`: explicitly typed, and without
    /// members that point at keys elsewhere (`jku`, `x5u`, `jwk`, `x5c`) or demand processing (`crit`).
    public func hasPlainHeader(type: String) -> Bool {
        header.typ?.lowercased() == type.lowercased() && header.crit == nil && header.jku == nil && header.x5u == nil
            && header.jwk == nil && header.x5c == nil && header.kid != nil
    }
}
