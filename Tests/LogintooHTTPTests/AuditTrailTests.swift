import Foundation
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("Audit trail")
struct AuditTrailTests {
    @Test("a sign-in with a wrong code, a refresh reuse and a revocation are audited in order, without codes or tokens")
    func signInIsAudited() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.askForCode(server, email: "Alice@Example.com")
            let code = try #require(try await server.deliveredCode())
            let wrong = code == "00000000" ? "11111111" : "00000000"
            _ = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", wrong)])
            let done = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            let location = try #require(done.headers[.location])
            let form = [("grant_type", "authorization_code"), ("code", try #require(queryItems(location)["code"])),
                        ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
                        ("code_verifier", TestServer.verifier)]
            let tokens = try json(try await browser.post("/token", form: form))
            let refresh = try #require(tokens["refresh_token"] as? String)
            let refreshForm = [("grant_type", "refresh_token"), ("client_id", server.publicClient.id), ("refresh_token", refresh)]
            #expect(try await browser.post("/token", form: refreshForm).status == .ok)
            server.clock.advance(by: 60)
            #expect(try await browser.post("/token", form: refreshForm).status == .badRequest)

            let records = try await server.store.auditRecords(limit: 100, kind: nil, email: nil)
            #expect(records.map(\.kind) == ["code_sent", "code_failed", "signed_in", "refresh_reused"])
            #expect(records[0].email == "alice@example.com" && records[0].clientId == server.publicClient.id && records[0].ip != nil)
            #expect(records[1].detail == "attempts_left=4")
            #expect(records[2].subject != nil)
            let everything = String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
            for secret in [code, refresh, try #require(tokens["access_token"] as? String)] {
                #expect(!everything.contains(secret))
            }
            let failures = try await server.store.auditRecords(limit: 10, kind: "code_failed", email: "alice@example.com")
            #expect(failures.count == 1)
            #expect(try await server.store.auditRecords(limit: 10, kind: nil, email: "bob@example.com").isEmpty)
        }
    }
}
