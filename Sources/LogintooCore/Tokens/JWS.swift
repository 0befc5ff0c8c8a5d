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
        guard let parts = CompactJWS(token), let key = verifyingKey(of: parts, type: type, ring: ring),
              let signature = Base64URL.decode(bytes: parts.signature),
              key.isValidSignature(Data(signature), for: Data(parts.signingInput)),
              let payload = Base64URL.decode(bytes: parts.payload)
        else { return nil }
        return try? JSONText.decoder.decode(Claims.self, from: Data(payload))
    }

    /// The key of `ring` that the token's header names, for a plain header of `type` whose algorithm is the key's. The
    /// header this server writes for `type` with a key of the ring (`SigningKey.encodedHeaders`) names that key and says
    /// nothing else, so it is recognised by its bytes; any other header is decoded and checked (`ParsedJWS`).
    static func verifyingKey(of parts: CompactJWS, type: String, ring: KeyRing) -> SigningKey? {
        if let own = ring.verificationKeys.first(where: { $0.encodedHeaders[type]?.utf8.elementsEqual(parts.header) == true }) {
            return own
        }
        guard let header = ParsedJWS.header(parts.header), ParsedJWS.isPlain(header, type: type), let kid = header.kid,
              let key = ring.key(kid: kid), header.alg == key.algorithm.rawValue
        else { return nil }
        return key
    }
}
