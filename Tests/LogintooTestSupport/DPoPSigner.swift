import Crypto
import Foundation
import LogintooCore

/// A client's DPoP key (ES256) making proofs as RFC 9449 §4.2 describes, with members a test can change or drop.
public struct DPoPSigner: Sendable {
    let key = P256.Signing.PrivateKey()

    public init() {}

    public var publicJWK: [String: String] {
        let raw = key.publicKey.rawRepresentation
        return ["kty": "EC", "crv": "P-256", "x": Base64URL.encode(raw.prefix(32)), "y": Base64URL.encode(raw.suffix(32))]
    }

    /// RFC 7638, computed here independently of the server's code.
    public var thumbprint: String {
        let jwk = publicJWK
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(jwk["x"]!)","y":"\#(jwk["y"]!)"}"#
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// A proof for `method` and `url` issued at `iat`; `header` and `claims` replace members (`NSNull` drops one).
    public func proof(_ method: String, _ url: String, iat: Int64, nonce: String? = nil, accessToken: String? = nil,
               jti: String = UUID().uuidString, header: [String: Any] = [:], claims: [String: Any] = [:]) -> String {
        var head: [String: Any] = ["typ": "dpop+jwt", "alg": "ES256", "jwk": publicJWK]
        var body: [String: Any] = ["jti": jti, "htm": method, "htu": url, "iat": iat]
        if let nonce { body["nonce"] = nonce }
        if let accessToken { body["ath"] = Base64URL.encode(SHA256.hash(data: Data(accessToken.utf8))) }
        for (name, value) in header { head[name] = value is NSNull ? nil : value }
        for (name, value) in claims { body[name] = value is NSNull ? nil : value }
        let input = Self.part(head) + "." + Self.part(body)
        let signature = try! key.signature(for: Data(input.utf8)).rawRepresentation
        return input + "." + Base64URL.encode(signature)
    }

    static func part(_ object: [String: Any]) -> String {
        Base64URL.encode(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// The claims of a JWT, unverified.
    public static func claims(of jwt: String) -> [String: Any] {
        let payload = Base64URL.decode(jwt.split(separator: ".")[1]) ?? []
        return (try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]) ?? [:]
    }
}
