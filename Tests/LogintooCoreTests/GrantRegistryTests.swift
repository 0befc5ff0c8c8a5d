import LogintooCore
import Testing

@Suite("Grant registry")
struct GrantRegistryTests {
    func registry() async throws -> GrantRegistry {
        try await CoreFixture.make().tokens().grants
    }

    @Test("each grant_type finds its own handler, in the order discovery lists them")
    func handlers() async throws {
        let grants = try await registry()
        #expect(grants.grantTypes == ["authorization_code", "refresh_token", "client_credentials"])
        #expect(try grants.handler(for: "authorization_code") is AuthorizationCodeGrant)
        #expect(try grants.handler(for: "refresh_token") is RefreshTokenGrant)
        #expect(try grants.handler(for: "client_credentials") is ClientCredentialsGrant)
    }

    @Test("a missing grant_type is invalid_request; an unknown one is unsupported_grant_type naming the supported ones")
    func refusals() async throws {
        let grants = try await registry()
        #expect(throws: OAuthError.invalidRequest("grant_type is missing")) { _ = try grants.handler(for: nil) }
        let supported = "supported grant types: authorization_code, refresh_token, client_credentials"
        #expect(throws: OAuthError(.unsupportedGrantType, supported)) {
            _ = try grants.handler(for: "password")
        }
    }

    @Test("a registry restricted to some grant types refuses the others")
    func restricted() async throws {
        let onlyCodes = try await registry().restricted(to: ["authorization_code", "device_code"])
        #expect(onlyCodes.grantTypes == ["authorization_code"])
        #expect(try onlyCodes.handler(for: "authorization_code") is AuthorizationCodeGrant)
        #expect(throws: OAuthError(.unsupportedGrantType, "supported grant types: authorization_code")) {
            _ = try onlyCodes.handler(for: "refresh_token")
        }
    }

    @Test("PKCE has one check: S256 of the verifier against the challenge, and no verifier without a challenge")
    func pkce() throws {
        try PKCE.verify(challenge: CoreFixture.challenge, verifier: CoreFixture.verifier)
        try PKCE.verify(challenge: nil, verifier: nil)
        #expect(throws: PKCE.verifierMismatch) {
            try PKCE.verify(challenge: CoreFixture.challenge, verifier: String(CoreFixture.verifier.reversed()))
        }
        #expect(throws: OAuthError.invalidGrant("code_verifier is missing")) {
            try PKCE.verify(challenge: CoreFixture.challenge, verifier: nil)
        }
        #expect(throws: OAuthError.self) { try PKCE.verify(challenge: nil, verifier: CoreFixture.verifier) }
        #expect(TokenService.verifierMismatch == PKCE.verifierMismatch, "the Logintoo JSON API recognises the same mismatch")
    }
}
