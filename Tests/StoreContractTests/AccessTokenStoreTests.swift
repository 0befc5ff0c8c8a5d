import LogintooCore
import LogintooStore
import Testing

@Suite("A person's access token and its account, read together")
struct AccessTokenStoreTests {
    @Test("the account of a token is read while the token is honoured: not once it is denied or its grant revoked, nor for another account")
    func accountOfActiveAccessToken() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let refresh = try #require(try await fixture.signInAndExchange(client: client, tokens: tokens).refresh_token)
        let (_, grant, _) = try #require(try await store.refreshToken(hash: SecretDigest.sha256(refresh)))
        let now = fixture.clock.now()
        let first = grant.id + ".first", second = grant.id + ".second"

        let account = try await store.accountOfActiveAccessToken(jti: first, grantId: grant.id, accountId: grant.accountId)
        #expect(account?.id == grant.accountId && account?.email == "alice@example.com")
        let bob = try await store.findOrCreateAccount(email: "bob@example.com", formerEmail: nil, newId: "bob", now: now)
        #expect(try await store.accountOfActiveAccessToken(jti: first, grantId: grant.id, accountId: bob.id) == nil,
                "a grant speaks only for its own account")
        #expect(try await store.accountOfActiveAccessToken(jti: first, grantId: "no-such-grant", accountId: grant.accountId) == nil)

        try await store.revokeAccessToken(
            AccessTokenRecord(jti: first, grantId: grant.id, clientId: client.id, expiresAt: now + 300), now: now)
        #expect(try await store.accountOfActiveAccessToken(jti: first, grantId: grant.id, accountId: grant.accountId) == nil,
                "a denied token")
        #expect(try await store.accountOfActiveAccessToken(jti: second, grantId: grant.id, accountId: grant.accountId) != nil,
                "another token of the grant stays honoured")
        #expect(try await store.accountOfActiveAccessToken(jti: "plain", grantId: nil, accountId: grant.accountId) == nil,
                "a plain identifier without a record names no grant")

        try await store.revokeGrant(id: grant.id, now: now)
        #expect(try await store.accountOfActiveAccessToken(jti: second, grantId: grant.id, accountId: grant.accountId) == nil,
                "a revoked grant's tokens")
    }
}
