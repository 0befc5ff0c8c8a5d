import HTTPTypes
import Hummingbird
import LogintooCore

/// RP-initiated logout: ends the session, revokes its grants, and returns only to a registered post-logout URI.
/// Without a valid `id_token_hint`, the person confirms with a form first, so a third-party page cannot sign them out.
struct LogoutEndpoint {
    let server: ServerContext
    let pages: Pages
    var csrf: CSRF { CSRF(server: server) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/logout") { request, _ in try await handleGet(request) }
        router.post("/logout") { request, _ in try await handlePost(request) }
    }

    struct Target {
        var client: Client?
        var postLogoutRedirectUri: String?
        var state: String?
    }

    /// Finds the client and checks the post-logout URI against its registration; `nil` means it cannot be trusted.
    func target(clientId: String?, hintClientId: String?, postLogoutRedirectUri: String?, state: String?) async throws -> Target? {
        if let clientId, let hintClientId, clientId != hintClientId { return nil }
        var client: Client?
        if let id = hintClientId ?? clientId {
            client = try await server.store.client(id: id)
            if client == nil { return nil }
        }
        if let uri = postLogoutRedirectUri {
            guard let client, client.postLogoutRedirectURIs.contains(uri) else { return nil }
        }
        return Target(client: client, postLogoutRedirectUri: postLogoutRedirectUri, state: state)
    }

    func handleGet(_ request: Request) async throws -> Response {
        guard let pairs = request.queryPairs else { return refused(request) }
        let form = FormBody(pairs: pairs)
        guard form.repeated == nil else { return refused(request) }
        var hintClient: String?
        if let hint = form["id_token_hint"] {
            guard let (clientId, _) = server.tokens.clientOfIDTokenHint(hint) else { return refused(request) }
            hintClient = clientId
        }
        guard let target = try await target(clientId: form["client_id"], hintClientId: hintClient,
                                            postLogoutRedirectUri: form["post_logout_redirect_uri"], state: form["state"])
        else { return refused(request) }
        let session = request.cookie(server.cookies.session)
        guard hintClient == nil, let session else { return try await finish(request, session: session, target: target) }
        return Reply.html(pages.logoutConfirm(
            request.words(), csrf: csrf.token(purpose: "logout", binding: session), clientName: target.client?.name, clientId: target.client?.id,
            postLogoutRedirectUri: target.postLogoutRedirectUri, state: target.state))
    }

    func handlePost(_ request: Request) async throws -> Response {
        guard let form = try? await FormBody.read(request), form.repeated == nil else { return refused(request) }
        let session = request.cookie(server.cookies.session)
        guard let target = try await target(clientId: form["client_id"], hintClientId: nil,
                                            postLogoutRedirectUri: form["post_logout_redirect_uri"], state: form["state"])
        else { return refused(request) }
        if let session, !csrf.isValid(request, form: form, purpose: "logout", binding: session) { return refused(request) }
        return try await finish(request, session: session, target: target)
    }

    func finish(_ request: Request, session: String?, target: Target) async throws -> Response {
        if let session {
            let ended = try await server.store.endSession(idHash: SecretDigest.sha256(session), now: server.clock.now())
            if ended { server.logger.info("signed out; session grants revoked") }
        }
        let clear = server.cookies.clearCookie(server.cookies.session)
        if let uri = target.postLogoutRedirectUri {
            let location = target.state.map { URLQuery.append([("state", $0)], to: uri) } ?? uri
            return Reply.seeOther(location, cookies: [clear])
        }
        var response = Reply.html(pages.message(request.words(), "signedout"))
        response.headers.append(HTTPField(name: .setCookie, value: clear))
        return response
    }

    func refused(_ request: Request) -> Response {
        Reply.html(pages.message(request.words(), "logout.refused"), status: .badRequest)
    }
}
