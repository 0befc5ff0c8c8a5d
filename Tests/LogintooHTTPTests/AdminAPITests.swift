import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

/// The admin API over HTTP (docs/security.md N82–N84): only an admin token reaches it; accounts are found, disabled
/// (the person's refresh stops at once), enabled and erased; sessions and grants are ended; the audit trail filters and
/// exports.
@Suite("The admin API")
struct AdminAPITests {
    let access = ClientCredentialsTests()

    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let raw: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] ?? [:] }
    }

    func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer " + token }
        let response = try await client.execute(uri: path, method: method, headers: headers)
        return Answer(status: response.status, headers: response.headers, raw: String(buffer: response.body))
    }

    /// A person signed in with an emailed code at the public client: (account id, refresh token, access token).
    func person(_ server: TestServer, _ client: any TestClientProtocol, email: String = "alice@example.com") async throws
        -> (String, String, String) {
        server.clock.advance(by: 120)  // past the send interval of an earlier sign-in of the same address
        let browser = Browser(client)
        let answer = try await browser.signIn(server, email: email)
        let code = try #require(URLComponents(string: answer)?.queryItems?.first { $0.name == "code" }?.value)
        let issued = try await server.context.tokens.exchangeCode(
            client: server.publicClient, code: code, redirectUri: server.publicClient.redirectURIs[0], codeVerifier: TestServer.verifier)
        let account = try #require(try await server.store.account(email: email))
        return (account.id, try #require(issued.response.refresh_token), issued.response.access_token)
    }

    func refreshWorks(_ server: TestServer, _ refresh: String) async -> Bool {
        (try? await server.context.tokens.refresh(client: server.publicClient, refreshToken: refresh, scope: nil)) != nil
    }

    @Test("every route refuses no token, a person's token, an ordinary client's token, and a garbage one")
    func refusals() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (accountId, _, personToken) = try await person(server, client)
            let ordinary = try await access.clientCredentials(client, server.confidentialClient.id, server.confidentialSecret)
            #expect(ordinary.status != .ok, "an ordinary confidential client gets no token for the admin API")
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/admin/api/accounts?q=a"), (.get, "/admin/api/accounts/\(accountId)"),
                (.post, "/admin/api/accounts/\(accountId)/disable"), (.post, "/admin/api/accounts/\(accountId)/enable"),
                (.delete, "/admin/api/accounts/\(accountId)"), (.get, "/admin/api/accounts/\(accountId)/sessions"),
                (.delete, "/admin/api/accounts/\(accountId)/sessions"), (.get, "/admin/api/accounts/\(accountId)/grants"),
                (.delete, "/admin/api/accounts/\(accountId)/grants"), (.get, "/admin/api/clients"),
                (.get, "/admin/api/audit?account=\(accountId)"),
            ]
            for (method, path) in routes {
                for token in [nil, personToken, "not-a-token"] as [String?] {
                    let answer = try await call(client, method, path, token: token)
                    #expect(answer.status == .unauthorized, "\(method) \(path)")
                    #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    #expect(answer.json["error"] as? String == "invalid_token")
                }
            }
            #expect(try await server.store.account(id: accountId)?.disabledAt == nil, "nothing changed")

            let admin = try await access.adminClient(server)
            let elsewhere = try await access.postForm(client, "/token", [("grant_type", "client_credentials"), ("scope", "admin"),
                                                                          ("resource", TestServer.api)],
                                                      authorization: access.basic(admin.client.id, try #require(admin.secret)))
            #expect(elsewhere.status == .badRequest && String(buffer: elsewhere.body).contains("invalid_target"))
        }
    }

    @Test("an admin finds an account, disables it (the person's refresh stops at once), enables it, and erases it")
    func accountLifecycle() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (accountId, refresh, _) = try await person(server, client)
            let admin = try await access.adminClient(server)
            let token = try await access.adminToken(client, admin)

            let found = try await call(client, .get, "/admin/api/accounts?q=ALI", token: token)
            #expect(found.status == .ok && found.headers[.cacheControl] == "no-store")
            let accounts = try #require(found.json["accounts"] as? [[String: Any]])
            #expect(accounts.count == 1 && accounts[0]["id"] as? String == accountId)
            #expect(accounts[0]["email"] as? String == "alice@example.com" && accounts[0]["disabled"] as? Bool == false)

            let details = try await call(client, .get, "/admin/api/accounts/\(accountId)", token: token)
            #expect((details.json["sessions"] as? [Any])?.count == 1 && (details.json["grants"] as? [Any])?.count == 1)
            #expect(!details.raw.contains(refresh), "no token value is shown")

            let disabled = try await call(client, .post, "/admin/api/accounts/\(accountId)/disable", token: token)
            #expect(disabled.status == .ok && disabled.json["disabled"] as? Bool == true)
            #expect(disabled.json["sessions_ended"] as? Int == 1 && disabled.json["grants_revoked"] as? Int == 1)
            #expect(await refreshWorks(server, refresh) == false, "the person's refresh stops at once")
            let listed = try await call(client, .get, "/admin/api/accounts?q=alice", token: token)
            #expect((listed.json["accounts"] as? [[String: Any]])?.first?["disabled"] as? Bool == true)

            let enabled = try await call(client, .post, "/admin/api/accounts/\(accountId)/enable", token: token)
            #expect(enabled.status == .ok && enabled.json["disabled"] as? Bool == false)

            let audit = try await call(client, .get, "/admin/api/audit?account=\(accountId)", token: token)
            let kinds = (audit.json["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.prefix(2) == ["account_enabled", "account_disabled"])
            let byWhom = (audit.json["events"] as? [[String: Any]])?.first?["detail"] as? String
            #expect(byWhom == "by=client:\(admin.client.id)", "the audit trail names the admin client")

            let erased = try await call(client, .delete, "/admin/api/accounts/\(accountId)", token: token)
            #expect(erased.status == .ok && erased.json["erased"] as? Bool == true)
            let pseudonym = try #require(erased.json["pseudonym"] as? String)
            #expect(try await call(client, .get, "/admin/api/accounts/\(accountId)", token: token).status == .notFound)
            #expect(try await call(client, .delete, "/admin/api/accounts/\(accountId)", token: token).status == .notFound)
            let kept = try await call(client, .get, "/admin/api/audit?account=\(accountId)", token: token)
            #expect(!kept.raw.contains("alice@example.com") && kept.raw.contains(pseudonym), "the trail keeps a pseudonym")
        }
    }

    @Test("an admin ends one session or all of them, and revokes grants; an unknown one is 404")
    func sessionsAndGrants() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (accountId, first, _) = try await person(server, client)
            let (_, second, _) = try await person(server, client)
            let token = try await access.adminToken(client, try await access.adminClient(server))
            let sessions = try #require(try await call(client, .get, "/admin/api/accounts/\(accountId)/sessions", token: token)
                .json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 2)
            let one = try #require(sessions[0]["id"] as? String)
            let ended = try await call(client, .delete, "/admin/api/accounts/\(accountId)/sessions/\(one)", token: token)
            #expect(ended.status == .ok && ended.json["sessions_ended"] as? Int == 1)
            #expect(try await call(client, .delete, "/admin/api/accounts/\(accountId)/sessions/\(one)", token: token).status
                    == .notFound)
            let grants = try #require(try await call(client, .get, "/admin/api/accounts/\(accountId)/grants", token: token)
                .json["grants"] as? [[String: Any]])
            #expect(grants.count == 1, "the ended session's grant is revoked; the other stays")
            let all = try await call(client, .delete, "/admin/api/accounts/\(accountId)/grants", token: token)
            #expect(all.json["grants_revoked"] as? Int == 1)
            let firstWorks = await refreshWorks(server, first)
            let secondWorks = await refreshWorks(server, second)
            #expect(!firstWorks && !secondWorks)
            #expect(try await call(client, .post, "/admin/api/accounts/nobody/disable", token: token).status == .notFound)
        }
    }

    @Test("clients are listed; the audit trail filters by kind and client, pages, and exports JSON lines")
    func clientsAndAudit() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await person(server, client)
            let token = try await access.adminToken(client, try await access.adminClient(server))
            let clients = try #require(try await call(client, .get, "/admin/api/clients", token: token).json["clients"] as? [[String: Any]])
            #expect(clients.contains { $0["id"] as? String == server.publicClient.id && $0["confidential"] as? Bool == false })
            #expect(clients.contains { $0["admin"] as? Bool == true })
            #expect(!String(describing: clients).contains("secret"), "no secret or its digest is listed")

            let sent = try await call(client, .get, "/admin/api/audit?kind=code_sent&client=\(server.publicClient.id)", token: token)
            let events = try #require(sent.json["events"] as? [[String: Any]])
            #expect(!events.isEmpty && events.allSatisfy { $0["kind"] as? String == "code_sent" })
            let page = try await call(client, .get, "/admin/api/audit?limit=1", token: token)
            let next = try #require(page.json["next"] as? String)
            let older = try await call(client, .get, "/admin/api/audit?limit=1&before=\(next)", token: token)
            #expect((older.json["events"] as? [[String: Any]])?.first?["id"] as? String
                    != (page.json["events"] as? [[String: Any]])?.first?["id"] as? String)
            let lines = try await call(client, .get, "/admin/api/audit?format=jsonl", token: token)
            #expect(lines.headers[.contentType] == "application/jsonl")
            let rows = lines.raw.split(separator: "\n")
            #expect(!rows.isEmpty && rows.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
            #expect(try await call(client, .get, "/admin/api/audit?limit=0", token: token).status == .badRequest)
            #expect(try await call(client, .get, "/admin/api/audit?before=x", token: token).status == .badRequest)
        }
    }
}
