import Foundation

/// Compact JWS signing and verification of the server's own tokens.
public enum JWS {
    struct Header: Codable {
        var alg: String
        var kid: String?
        var typ: String?
        var crit: [String]?
        var jku: String?
        var x5u: String?
        var jwk: PublicJWK?
    }

    public static func sign(_ claims: some Encodable, type: String, with key: SigningKey) throws -> String {
        let header = try JSONText.encode(Header(alg: key.algorithm.rawValue, kid: key.kid, typ: type))
        let payload = try JSONText.encode(claims)
        let input = Base64URL.encode(Data(header.utf8)) + "." + Base64URL.encode(Data(payload.utf8))
        return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
    }

    /// Verifies a token signed by a key of `ring`. The algorithm comes from the key, never from the token;
    /// `jku`, `x5u`, `jwk` and `crit` headers are refused.
    public static func verify<Claims: Decodable>(_ token: String, type: String, ring: KeyRing, as: Claims.Type) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 16_384, parts.count == 3,
              let headerBytes = Base64URL.decode(parts[0]), (try? StrictJSON.parse(headerBytes)) != nil,
              let header = try? JSONText.decoder.decode(Header.self, from: Data(headerBytes)),
              header.typ?.lowercased() == type.lowercased(), header.crit == nil, header.jku == nil, header.x5u == nil,
              header.jwk == nil, let kid = header.kid, let key = ring.key(kid: kid), header.alg == key.algorithm.rawValue,
              let signature = Base64URL.decode(parts[2]),
              key.isValidSignature(Data(signature), for: Data("\(parts[0]).\(parts[1])".utf8)),
              let payload = Base64URL.decode(parts[1])
        else { return nil }
        return try? JSONText.decoder.decode(Claims.self, from: Data(payload))
    }
}
