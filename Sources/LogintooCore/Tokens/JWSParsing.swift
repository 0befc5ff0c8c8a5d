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
        guard let parts = CompactJWS(token), let header = Self.header(parts.header),
              let payload = Base64URL.decode(bytes: parts.payload), let signature = Base64URL.decode(bytes: parts.signature)
        else { return nil }
        self.header = header
        self.signingInput = Data(parts.signingInput)
        self.payload = Data(payload)
        self.signature = Data(signature)
    }

    /// The protected header in `part` (base64url): a JSON object without duplicate names that names an algorithm.
    static func header(_ part: Substring.UTF8View) -> Header? {
        guard let bytes = Base64URL.decode(bytes: part), case .object(_)? = try? StrictJSON.parse(bytes) else { return nil }
        return try? JSONText.decoder.decode(Header.self, from: Data(bytes))
    }

    /// Whether the header is one this server could have written for a token of `type`: explicitly typed, and without
    /// members that point at keys elsewhere (`jku`, `x5u`, `jwk`, `x5c`) or demand processing (`crit`).
    public func hasPlainHeader(type: String) -> Bool { Self.isPlain(header, type: type) }

    static func isPlain(_ header: Header, type: String) -> Bool {
        header.typ?.lowercased() == type.lowercased() && header.crit == nil && header.jku == nil && header.x5u == nil
            && header.jwk == nil && header.x5c == nil && header.kid != nil
    }
}

/// The three base64url parts of a compact JWS, cut at its two dots and not yet decoded; `nil` for any other number of
/// parts, or a token longer than `ParsedJWS.maxLength`. Cut as bytes: every part of a valid token is ASCII, and a part
/// that is not fails its decoding.
struct CompactJWS {
    let header: Substring.UTF8View
    let payload: Substring.UTF8View
    let signature: Substring.UTF8View
    /// `header '.' payload`, the bytes the signature covers.
    let signingInput: Substring.UTF8View

    init?(_ token: String) {
        let bytes = token.utf8, dot = UInt8(ascii: ".")
        guard bytes.count <= ParsedJWS.maxLength, let first = bytes.firstIndex(of: dot) else { return nil }
        let rest = bytes[bytes.index(after: first)...]
        guard let second = rest.firstIndex(of: dot) else { return nil }
        let last = bytes[bytes.index(after: second)...]
        guard !last.contains(dot) else { return nil }
        header = bytes[..<first]
        payload = bytes[bytes.index(after: first)..<second]
        signature = last
        signingInput = bytes[..<second]
    }
}
