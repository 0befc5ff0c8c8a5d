import LogintooCore
import Testing

@Suite("Server capabilities")
struct ServerCapabilitiesTests {
    @Test("the standard value states what the core accepts: its grants, scopes, languages and signing algorithm")
    func standardMatchesTheCore() async throws {
        let grants = try await CoreFixture.make().tokens().grants
        let supported = ServerCapabilities.standard(grants: grants, signingAlgorithm: .edDSA)
        #expect(supported.grantTypes == grants.grantTypes)
        #expect(Set(supported.scopes) == Scope.supported && supported.scopes.count == Scope.supported.count)
        #expect(supported.uiLocales == Translations.languages)
        #expect(supported.signingAlgorithms == ["EdDSA"])
        #expect(supported.codeChallengeMethods == ["S256"])
    }

    @Test("an endpoint refuses a client authentication method it does not accept, as invalid_client")
    func authenticationMethods() throws {
        let secrets: [ClientAuthenticationMethod] = [.clientSecretBasic, .clientSecretPost]
        try ServerCapabilities.check(.clientSecretPost, acceptedBy: secrets, endpoint: "introspection")
        #expect(throws: OAuthError.invalidClient(
            "introspection accepts client authentication by client_secret_basic, client_secret_post only")) {
            try ServerCapabilities.check(.none, acceptedBy: secrets, endpoint: "introspection")
        }
        #expect(ClientRegistry.Credentials.none(id: "c").method == .none)
        #expect(ClientRegistry.Credentials.basic(id: "c", secret: "s").method == .clientSecretBasic)
        #expect(ClientRegistry.Credentials.post(id: "c", secret: "s").method == .clientSecretPost)
    }
}
