import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooTestSupport
import LogintooVerifier
import LogintooVerifierHummingbird
import Testing

@Suite("BearerTokenMiddleware: DPoP-bound tokens (RFC 9449 §7)")
struct DPoPMiddlewareTests {
    static let dpop = HTTPField.Name("DPoP")!
    static let url = "https://api.example.com/notes"

    @Test("a bound token passes only with the DPoP scheme and a fresh proof by its key for this request")
    func boundTokens() async throws {
        let fixture = try SignedTokenFixture()
        let key = DPoPSigner(), other = DPoPSigner()
        let router = Router(context: APIContext.self)
        router.group("/notes").add(middleware: BearerTokenMiddleware(verifier: fixture.verifier, publicOrigin: "https://api.example.com/"))
            .get { _, context in context.accessToken?.dpopKeyThumbprint ?? "-" }
        let bound = try fixture.token(boundTo: key.thumbprint)
        let plain = try fixture.token()
        let now = Int64(Date().timeIntervalSince1970)
        try await Application(router: router).test(.router) { client in
            func ask(_ authorization: String, _ proof: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.authorization: authorization]
                if let proof { headers[Self.dpop] = proof }
                return try await client.execute(uri: "/notes?page=2", method: .get, headers: headers)
            }
            let proof = key.proof("GET", Self.url, iat: now, accessToken: bound)
            let good = try await ask("DPoP " + bound, proof)
            #expect(good.status == .ok && String(buffer: good.body) == key.thumbprint)
            let replayed = try await ask("DPoP " + bound, proof)
            #expect(replayed.status == .unauthorized && replayed.headers[.wwwAuthenticate]?.contains("invalid_dpop_proof") == true)

            let refusals: [(String, String, String?, String)] = [
                ("as a Bearer token", "Bearer " + bound, nil, "invalid_token"),
                ("without a proof", "DPoP " + bound, nil, "invalid_dpop_proof"),
                ("another key's proof", "DPoP " + bound, other.proof("GET", Self.url, iat: now, accessToken: bound), "invalid_token"),
                ("wrong ath", "DPoP " + bound, key.proof("GET", Self.url, iat: now, accessToken: plain), "invalid_dpop_proof"),
                ("wrong htm", "DPoP " + bound, key.proof("POST", Self.url, iat: now, accessToken: bound), "invalid_dpop_proof"),
                ("wrong htu", "DPoP " + bound, key.proof("GET", "https://other.example.com/notes", iat: now, accessToken: bound),
                 "invalid_dpop_proof"),
                ("old proof", "DPoP " + bound, key.proof("GET", Self.url, iat: now - 400, accessToken: bound), "invalid_dpop_proof"),
                ("a Bearer token with the DPoP scheme", "DPoP " + plain, key.proof("GET", Self.url, iat: now, accessToken: plain),
                 "invalid_token"),
            ]
            for (name, authorization, proof, error) in refusals {
                let refused = try await ask(authorization, proof)
                #expect(refused.status == .unauthorized, "\(name)")
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("DPoP algs=\"ES256 EdDSA RS256 PS256\"") == true, "\(name)")
                #expect(refused.headers[.wwwAuthenticate]?.contains("error=\"\(error)\"") == true, "\(name)")
            }
            let bearer = try await ask("Bearer " + plain, nil)
            #expect(bearer.status == .ok && String(buffer: bearer.body) == "-", "an unbound token stays a Bearer token")
        }
    }

    @Test("a replay record full of live proofs refuses new ones rather than forget one")
    func fullRecord() async throws {
        let fixture = try SignedTokenFixture()
        let key = DPoPSigner()
        let router = Router(context: APIContext.self)
        router.group("/notes").add(middleware: BearerTokenMiddleware(verifier: fixture.verifier, dpop: DPoPProofVerifier(capacity: 2),
                                                                     publicOrigin: "https://api.example.com"))
            .get { _, _ in "ok" }
        let bound = try fixture.token(boundTo: key.thumbprint)
        let now = Int64(Date().timeIntervalSince1970)
        try await Application(router: router).test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                let answer = try await client.execute(uri: "/notes", method: .get, headers: [
                    .authorization: "DPoP " + bound, Self.dpop: key.proof("GET", Self.url, iat: now, accessToken: bound)])
                statuses.append(answer.status)
            }
            #expect(statuses == [.ok, .ok, .unauthorized])
        }
    }
}
