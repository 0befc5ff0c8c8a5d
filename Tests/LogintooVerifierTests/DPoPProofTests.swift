import Crypto
import Foundation
import LogintooDPoP
import Testing
import _CryptoExtras

@Suite("DPoP proofs and public JWKs (RFC 9449 §4.3, RFC 7638)")
struct DPoPProofTests {
    static let url = "https://login.example.com/token"
    static let now: Int64 = 1_800_000_000

    static func b64(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A proof for `Self.url` signed by `sign` with `alg`, naming `jwk`.
    static func proof(alg: String, jwk: [String: String], htu: String = url, sign: (Data) throws -> Data) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["typ": "dpop+jwt", "alg": alg, "jwk": jwk], options: .sortedKeys)
        let claims = try JSONSerialization.data(withJSONObject: ["jti": "j-1", "htm": "POST", "htu": htu, "iat": now])
        let input = b64(header) + "." + b64(claims)
        return input + "." + b64(try sign(Data(input.utf8)))
    }

    static func check(_ proof: String, url: String = url) throws(DPoPProofError) -> DPoPProof {
        try DPoPProof.check(proof, against: .init(method: "POST", url: url, now: now))
    }

    @Test("the thumbprint of RFC 7638 §3.1's example key")
    func thumbprint() throws {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
            + "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91C"
            + "bOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try PublicJWK(json: Data(#"{"kty":"RSA","n":"\#(n)","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#.utf8))
        #expect(key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("proofs by each supported algorithm check out, and name their key's thumbprint")
    func algorithms() throws {
        let p256 = P256.Signing.PrivateKey()
        let raw = p256.publicKey.rawRepresentation
        let ec = ["kty": "EC", "crv": "P-256", "x": Self.b64(raw.prefix(32)), "y": Self.b64(raw.suffix(32))]
        let es256 = try Self.check(try Self.proof(alg: "ES256", jwk: ec) { try p256.signature(for: $0).rawRepresentation })
        #expect(es256.identifier == "j-1" && es256.issuedAt == Self.now)
        #expect(es256.thumbprint == (try PublicJWK(json: try JSONSerialization.data(withJSONObject: ec))).thumbprint)

        let ed = Curve25519.Signing.PrivateKey()
        let okp = ["kty": "OKP", "crv": "Ed25519", "x": Self.b64(ed.publicKey.rawRepresentation)]
        _ = try Self.check(try Self.proof(alg: "EdDSA", jwk: okp) { try ed.signature(for: $0) })

        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let der = rsa.publicKey.pkcs1DERRepresentation
        let (modulus, exponent) = try Self.rsaComponents(pkcs1: [UInt8](der))
        let rsaJWK = ["kty": "RSA", "n": Self.b64(modulus), "e": Self.b64(exponent)]
        _ = try Self.check(try Self.proof(alg: "RS256", jwk: rsaJWK) {
            try rsa.signature(for: SHA256.hash(data: $0), padding: .insecurePKCS1v1_5).rawRepresentation
        })
        _ = try Self.check(try Self.proof(alg: "PS256", jwk: rsaJWK) { try rsa.signature(for: SHA256.hash(data: $0), padding: .PSS).rawRepresentation })
        #expect(throws: DPoPProofError.unsupportedAlgorithm) {
            try Self.check(try Self.proof(alg: "ES256", jwk: rsaJWK) { try rsa.signature(for: $0, padding: .PSS).rawRepresentation })
        }
    }

    @Test("htu is compared after normalizing scheme, host and default port; query and fragment are ignored")
    func requestTargets() throws {
        let key = P256.Signing.PrivateKey()
        let raw = key.publicKey.rawRepresentation
        let jwk = ["kty": "EC", "crv": "P-256", "x": Self.b64(raw.prefix(32)), "y": Self.b64(raw.suffix(32))]
        func proof(_ htu: String) throws -> String { try Self.proof(alg: "ES256", jwk: jwk, htu: htu) { try key.signature(for: $0).rawRepresentation } }
        for same in ["HTTPS://Login.Example.COM:443/token", "https://login.example.com/token?x=1#f"] {
            _ = try Self.check(try proof(same))
        }
        for other in ["http://login.example.com/token", "https://login.example.com:8443/token", "https://login.example.com/token/",
                      "https://user@login.example.com/token", "https://login.example.com/Token"] {
            #expect(throws: DPoPProofError.wrongURL, "\(other)") { try Self.check(try proof(other)) }
        }
    }

    /// The modulus and exponent of a PKCS#1 RSAPublicKey (SEQUENCE of two INTEGERs), without leading zero bytes.
    static func rsaComponents(pkcs1 der: [UInt8]) throws -> ([UInt8], [UInt8]) {
        var index = 0
        func length() -> Int {
            let first = Int(der[index]); index += 1
            guard first & 0x80 != 0 else { return first }
            var value = 0
            for _ in 0..<(first & 0x7F) { value = value << 8 | Int(der[index]); index += 1 }
            return value
        }
        func integer() -> [UInt8] {
            index += 1
            let count = length()
            defer { index += count }
            return Array(der[index..<index + count].drop { $0 == 0 })
        }
        index += 1
        _ = length()
        return (integer(), integer())
    }
}
