import Foundation

/// Compact JWS signing and verification of the server's own tokens.
public enum JWS {
    struct Header: Encodable {
        var alg: String
        var kid: String?
        var typ: String?
    }

    /// The `typ` of every token the server signs: access tokens (RFC 9068) and ID tokens.
    static let signedTypes = ["at+jwt", "JWT"]

    public static func sign(_ claims: some JSONObjectWritable, type: String, with key: SigningKey) throws -> String {
        let header = try key.encodedHeaders[type] ?? encodedHeader(kid: key.kid, algorithm: key.algorithm, type: type)
        let input = header + "." + Base64URL.encode(claims.jsonBytes)
        return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
    }

    static func encodedHeader(kid: String, algorithm: SigningAlgorithm, type: String) throws -> String {
        Base64URL.encode(Data(try JSONText.encode(Header(alg: algorithm.rawValue, kid: kid, typ: type)).utf8))
    }

    /// Verifies a token signed by a key of `ring`. The algorithm comes from the key, never from the token;
    /// `jku`, `x5u`, `jwk`, `x5c` and `crit` headers are refused.
    public static func verify<Claims: Decodable>(_ token: String, type: String, ring: KeyRing, as: Claims.Type) -> Claims? {
        guard let parsed = ParsedJWS(token), parsed.hasPlainHeader(type: type), let kid = parsed.header.kid,
              let key = ring.key(kid: kid), parsed.header.alg == key.algorithm.rawValue,
              key.isValidSignature(parsed.signature, for: parsed.signingInput)
        else { return nil }
        return try? JSONText.decoder.decode(Claims.self, from: parsed.payload)
    }
}
