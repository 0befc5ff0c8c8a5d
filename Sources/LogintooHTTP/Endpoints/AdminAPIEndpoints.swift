import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LogintooCore

/// The admin API under `/admin/api/` (JSON): accounts (search, details, disable, enable, erase, their sessions and
/// grants), clients and the audit trail. Every route sits behind `AdminAccessMiddleware`; every change names the admin
/// client that made it in the audit trail.
struct AdminAPIEndpoints {
    let accounts: AccountAdministration
    let clients: ClientRegistry
    let access: AdminAccess
    let logger: Logger

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("/admin/api").add(middleware: AdminAccessMiddleware(access: access))
        api.get("/accounts") { request, _ in await respond { try await search(request) } }
        api.get("/accounts/{id}") { _, context in await respond { try await details(context) } }
        api.post("/accounts/{id}/disable") { _, context in await respond { try await disable(context) } }
        api.post("/accounts/{id}/enable") { _, context in await respond { try await enable(context) } }
        api.delete("/accounts/{id}") { _, context in await respond { try await erase(context) } }
        api.get("/accounts/{id}/sessions") { _, context in await respond { try await sessions(context) } }
        api.delete("/accounts/{id}/sessions") { _, context in await respond { try await endSessions(context, one: nil) } }
        api.delete("/accounts/{id}/sessions/{session}") { _, context in
            await respond { try await endSessions(context, one: try context.parameters.require("session")) }
        }
        api.get("/accounts/{id}/grants") { _, context in await respond { try await grants(context) } }
        api.delete("/accounts/{id}/grants") { _, context in await respond { try await revokeGrants(context, one: nil) } }
        api.delete("/accounts/{id}/grants/{grant}") { _, context in
            await respond { try await revokeGrants(context, one: try context.parameters.require("grant")) }
        }
        api.get("/clients") { _, _ in await respond { try await listClients() } }
        api.get("/audit") { request, _ in await respond { try await audit(request) } }
    }

    /// A refusal the handler names: its status and `error`.
    struct Refusal: Error {
        let status: HTTPResponse.Status
        let error: String
        let description: String

        static func notFound(_ what: String) -> Refusal { Refusal(status: .notFound, error: "not_found", description: what) }
        static func badRequest(_ what: String) -> Refusal { Refusal(status: .badRequest, error: "invalid_request", description: what) }
    }

    /// Runs a handler; refusals and failures become `{"error", "error_description"}` with their status, never a page.
    func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch {
            return Self.answer(error, logger: logger)
        }
    }

    /// The answer to a handler's failure: a refusal with its status, `503` while the database is away, else `500`.
    static func answer(_ error: any Error, logger: Logger) -> Response {
        switch error {
        case let refusal as Refusal:
            return problem(refusal.error, refusal.description, refusal.status)
        case is StoreUnavailable:
            return problem("temporarily_unavailable", "the database is unavailable; nothing changed", .serviceUnavailable)
        default:
            logger.error("admin API failed", metadata: ["error": "\(String(reflecting: error))"])
            return problem("server_error", "the server could not complete the request", .internalServerError)
        }
    }

    static func problem(_ error: String, _ description: String, _ status: HTTPResponse.Status) -> Response {
        (try? Reply.noStoreJSON(["error": error, "error_description": description], status: status)) ?? Response(status: status)
    }

    // MARK: accounts

    struct AccountList: Encodable {
        let accounts: [AdminView.Account]
        /// The `after` of the next page, when this one is full.
        let next: String?
    }

    func search(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let prefix = query["q"].map(String.init) ?? ""
        guard prefix.utf8.count <= 320, (query["after"]?.utf8.count ?? 0) <= 320 else {
            throw Refusal.badRequest("q and after are at most 320 bytes, an address's length")
        }
        let limit = try Self.limit(query["limit"], upTo: AccountAdministration.searchLimit)
        let found = try await accounts.search(prefix: prefix, after: query["after"].map(String.init), limit: limit)
        return try Reply.noStoreJSON(AccountList(accounts: found.map(AdminView.Account.init),
                                                 next: found.count == limit ? found.last?.account.email : nil))
    }

    func details(_ context: AppRequestContext) async throws -> Response {
        guard let details = try await accounts.details(id: try Self.accountId(context)) else { throw Refusal.notFound("no such account") }
        return try Reply.noStoreJSON(AdminView.AccountDetails(details))
    }

    func disable(_ context: AppRequestContext) async throws -> Response {
        let id = try Self.accountId(context)
        guard let lockout = try await accounts.disable(id: id, actor: try Self.actor(context)) else {
            throw Refusal.notFound("no such account")
        }
        return try Reply.noStoreJSON(AdminView.Lockout(id: id, disabled: true, sessions_ended: lockout.sessionsEnded,
                                                       grants_revoked: lockout.grantsRevoked))
    }

    func enable(_ context: AppRequestContext) async throws -> Response {
        let id = try Self.accountId(context)
        guard try await accounts.enable(id: id, actor: try Self.actor(context)) else { throw Refusal.notFound("no such account") }
        return try Reply.noStoreJSON(AdminView.Lockout(id: id, disabled: false, sessions_ended: 0, grants_revoked: 0))
    }

    struct Erased: Encodable {
        let id: String
        let erased = true
        /// What the account's audit records name instead of its address.
        let pseudonym: String
    }

    func erase(_ context: AppRequestContext) async throws -> Response {
        let id = try Self.accountId(context)
        guard let pseudonym = try await accounts.erase(id: id, actor: try Self.actor(context)) else {
            throw Refusal.notFound("no such account")
        }
        return try Reply.noStoreJSON(Erased(id: id, pseudonym: pseudonym))
    }

    func sessions(_ context: AppRequestContext) async throws -> Response {
        guard let details = try await accounts.details(id: try Self.accountId(context)) else { throw Refusal.notFound("no such account") }
        return try Reply.noStoreJSON(["sessions": details.sessions.map(AdminView.Session.init)])
    }

    func endSessions(_ context: AppRequestContext, one session: String?) async throws -> Response {
        let id = try Self.accountId(context)
        guard let lockout = try await accounts.endSessions(accountId: id, sessionHash: session, actor: try Self.actor(context)) else {
            throw Refusal.notFound("no such account")
        }
        if session != nil, lockout.sessionsEnded == 0 { throw Refusal.notFound("no such live session of this account") }
        return try Reply.noStoreJSON(["sessions_ended": lockout.sessionsEnded, "grants_revoked": lockout.grantsRevoked])
    }

    func grants(_ context: AppRequestContext) async throws -> Response {
        guard let details = try await accounts.details(id: try Self.accountId(context)) else { throw Refusal.notFound("no such account") }
        return try Reply.noStoreJSON(["grants": details.grants.map(AdminView.Grant.init)])
    }

    func revokeGrants(_ context: AppRequestContext, one grant: String?) async throws -> Response {
        let id = try Self.accountId(context)
        guard let count = try await accounts.revokeGrants(accountId: id, grantId: grant, actor: try Self.actor(context)) else {
            throw Refusal.notFound("no such account")
        }
        if grant != nil, count == 0 { throw Refusal.notFound("no such live grant of this account") }
        return try Reply.noStoreJSON(["grants_revoked": count])
    }

    // MARK: clients and the audit trail

    func listClients() async throws -> Response {
        try Reply.noStoreJSON(["clients": try await clients.all().map(AdminView.Client.init)])
    }

    struct EventList: Encodable {
        let events: [AdminView.Event]
        /// The `before` of the next page (`AT.ID`), when this one is full.
        let next: String?
    }

    /// Records filtered by `account`, `client`, `kind`, `since` and `until`, newest first; `before` pages. With
    /// `format=jsonl`, the records as JSON lines (`application/jsonl`), for export.
    func audit(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        for name: Substring in ["account", "client", "kind", "before"] where (query[name]?.utf8.count ?? 0) > 256 {
            throw Refusal.badRequest("\(name) is at most 256 bytes")
        }
        var filter = AuditFilter()
        if let account = query["account"] { filter = try await accounts.auditFilter(accountId: String(account)) }
        filter.clientId = query["client"].map(String.init)
        filter.kind = query["kind"].map(String.init)
        filter.since = try Self.time(query["since"], "since")
        filter.until = try Self.time(query["until"], "until")
        let before = try query["before"].map { text in
            guard let cursor = AuditCursor(text: text) else { throw Refusal.badRequest("before must be the next value of an earlier page") }
            return cursor
        }
        let limit = try Self.limit(query["limit"], upTo: 1_000)
        let found = try await accounts.audit(filter, before: before, limit: limit)
        let records = found.map(AdminView.Event.init)
        let next = found.count == limit ? found.last.map(AuditCursor.text(after:)) : nil
        guard query["format"] == "jsonl" else { return try Reply.noStoreJSON(EventList(events: records, next: next)) }
        var lines = Data()
        for record in records {
            lines.append(try Reply.encoder.encode(record))
            lines.append(0x0A)
        }
        var headers: HTTPFields = [.contentType: "application/jsonl", .cacheControl: "no-store"]
        if let next { headers[HTTPField.Name("Logintoo-Next")!] = next }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: lines)))
    }

    // MARK: reading the request

    static func accountId(_ context: AppRequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard !id.isEmpty, id.utf8.count <= 64 else { throw Refusal.notFound("no such account") }
        return id
    }

    /// Who acts, for the audit trail: the admin client.
    static func actor(_ context: AppRequestContext) throws -> String {
        guard let caller = context.adminCaller else { throw Refusal(status: .unauthorized, error: "invalid_token", description: "no caller") }
        return caller.actor
    }

    static func limit(_ text: Substring?, upTo most: Int) throws -> Int {
        guard let text else { return most }
        guard let value = Int(text), (1...most).contains(value) else { throw Refusal.badRequest("limit must be 1 to \(most)") }
        return value
    }

    static func time(_ text: Substring?, _ name: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else { throw Refusal.badRequest("\(name) must be Unix seconds") }
        return value
    }

}
