import Foundation
import Hummingbird
import Logging
import LogintooAPICompatibility
import LogintooCore

/// The original Logintoo JSON API under `/{apiVersion}/`: `/auth`, `/otp`, `/token` (POST, PATCH, DELETE), and for
/// 2026-06 the JWKS's preflight (its GET is a static answer of `DiscoveryEndpoints`). Every answer is open to any origin
/// (`Access-Control-Allow-Origin: *`), as static login pages need.
struct LogintooAPIEndpoints {
    let api: LogintooAPI
    let readiness: Readiness
    let logger: Logger
    let metrics: ServerMetrics

    static let maxBodyBytes = 16 * 1024

    func register(on router: Router<AppRequestContext>) {
        for version in LogintooAPI.Version.allCases {
            let base = "/\(version.rawValue)"
            // The original login page's own address, `/{apiVersion}/?client_id=…`, opens the login page as `/` does.
            router.get(RouterPath(base)) { request, _ in
                guard let login = LoginEndpoints.logintooLoginPageRedirect(request) else { throw HTTPError(.notFound) }
                return login
            }
            router.post("\(base)/auth") { request, context in
                await respond(request) { body in
                    try await api.startSignIn(body, clientIP: context.clientIP, userAgent: request.headers[.userAgent],
                                                             acceptLanguage: request.headers[.acceptLanguage])
                    metrics.signIn(.started)
                    return try Self.json(StatusAnswer(statusCode: 200))
                }
            }
            router.post("\(base)/otp") { request, _ in
                await respond(request) { body in try await signIn { try await api.verifyCode(body, version: version) } }
            }
            router.post("\(base)/token") { request, _ in
                await respond(request, acceptsForm: true) { body in
                    let answer = try await api.exchangeCode(body)
                    metrics.tokensIssued(grant: "authorization_code")
                    return try Self.json(answer)
                }
            }
            router.patch("\(base)/token") { request, _ in
                await respond(request, acceptsForm: true) { body in
                    let answer = try await api.refresh(body)
                    metrics.tokensIssued(grant: "refresh_token")
                    return try Self.json(answer)
                }
            }
            router.delete("\(base)/token") { request, _ in
                await respond(request, acceptsForm: true) { body in
                    try await api.revoke(body, basic: try Self.basicCredentials(request))
                    return try Self.json(StatusAnswer())
                }
            }
            for resource in ["auth", "otp", "token"] {
                router.on(RouterPath("\(base)/\(resource)"), method: .options) { request, _ in Self.preflight(request) }
            }
        }
        registerPasskeys(on: router)
        router.on(RouterPath("/\(LogintooAPI.Version.v2026_06.rawValue)/jwks"), method: .options) { request, _ in
            Self.preflight(request)
        }
    }

    /// The 2026-06 WebAuthn ceremonies (`LogintooAPI+Passkeys`): a passkey sign-in answers as `/otp` does.
    func registerPasskeys(on router: Router<AppRequestContext>) {
        router.post("/\(LogintooAPI.Version.v2026_06.rawValue)/webauthn/authentication/options") { request, _ in
            await respond(request) { body in try Self.json(try await api.passkeySignInOptions(body)) }
        }
        router.post("/\(LogintooAPI.Version.v2026_06.rawValue)/webauthn/authentication") { request, _ in
            await respond(request) { body in try await signIn { try await api.passkeySignIn(body) } }
        }
        router.post("/\(LogintooAPI.Version.v2026_06.rawValue)/webauthn/registration/options") { request, _ in
            await respond(request) { body in try Self.json(try await api.passkeyRegistrationOptions(body)) }
        }
        router.post("/\(LogintooAPI.Version.v2026_06.rawValue)/webauthn/registration") { request, _ in
            await respond(request) { body in
                let name = try await api.addPasskey(body, acceptLanguage: request.headers[.acceptLanguage])
                return try Self.json(PasskeyAdded(name: name), status: .created)
            }
        }
        for path in ["authentication/options", "authentication", "registration/options", "registration"] {
            router.on(RouterPath("/\(LogintooAPI.Version.v2026_06.rawValue)/webauthn/\(path)"), method: .options) { request, _ in
                Self.preflight(request)
            }
        }
    }

    /// Runs a sign-in's last step, counting it: signed in, it answers `302` to the client with the authorization code,
    /// as the original `/otp` answered.
    func signIn(_ complete: () async throws -> String) async throws -> Response {
        let location: String
        do {
            location = try await complete()
        } catch let failure as LogintooAPI.Failure where failure.kind == .unauthorized || failure.kind == .forbidden {
            metrics.signIn(.failed)
            throw failure
        }
        metrics.signIn(.completed)
        var response = try Self.json(StatusAnswer(statusMessage: nil), status: .found)
        response.headers[.location] = location
        return response
    }

    /// Reads the body, runs the handler, and turns every failure into the API's error shape.
    func respond(_ request: Request, acceptsForm: Bool = false,
                 handler: (LogintooAPIBody) async throws -> Response) async -> Response {
        do {
            guard readiness.isReady else {
                throw LogintooAPI.Failure.unavailable("the server is shutting down; try again in a moment")
            }
            return try await handler(try await Self.body(of: request, acceptsForm: acceptsForm))
        } catch let failure as LogintooAPI.Failure {
            if failure.kind != .badRequest {
                logger.notice("Logintoo API refused",
                                     metadata: ["path": "\(request.uri.path)", "status": "\(Self.status(of: failure.kind).code)"])
            }
            return Self.error(failure)
        } catch let error as StoreUnavailable {
            logger.error("Logintoo API: database unavailable", metadata: ["error": "\(error)"])
            return Self.error(.unavailable("the server is busy; try again in a moment"))
        } catch {
            logger.error("Logintoo API failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return Self.error(.serverFailure("the server could not complete the request; nothing was changed"))
        }
    }

    /// JSON whatever the declared type (login pages post JSON as `text/plain` to avoid a preflight); form fields
    /// where the resource accepts them.
    static func body(of request: Request, acceptsForm: Bool) async throws -> LogintooAPIBody {
        let type = HeaderText.mediaType(request.headers[.contentType])
        if acceptsForm, type == "application/x-www-form-urlencoded" {
            guard let form = try? await FormBody.read(request) else {
                throw LogintooAPI.Failure.badRequest("the form body is malformed or larger than 16 KiB")
            }
            if form.repeated != nil { throw LogintooAPI.Failure.badRequest("a form field is given more than once") }
            return LogintooAPIBody(form: form.values)
        }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxBodyBytes) else {
            throw LogintooAPI.Failure.badRequest("the body is larger than 16 KiB")
        }
        guard let body = LogintooAPIBody(json: Data(buffer.readableBytesView)) else {
            throw LogintooAPI.Failure.badRequest("the body must be a JSON object")
        }
        return body
    }

    /// HTTP Basic client credentials, read as the OAuth endpoints read them; `nil` without an Authorization header.
    static func basicCredentials(_ request: Request) throws(LogintooAPI.Failure) -> ClientRegistry.Credentials? {
        guard request.headers[.authorization] != nil else { return nil }
        do {
            return try ClientAuthentication.credentials(request, form: FormBody(pairs: []))
        } catch {
            throw .unauthorized("the Authorization header is not valid Basic client authentication")
        }
    }

    /// The headers of every answer of this API except the JWKS.
    static func apiHeaders() -> HTTPFields {
        [.accessControlAllowOrigin: "*", .cacheControl: "no-store", .pragma: "no-cache", .referrerPolicy: "no-referrer"]
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Reply.json(try Reply.encoder.encode(value), status: status, headers: apiHeaders())
    }

    static func error(_ failure: LogintooAPI.Failure) -> Response {
        let status = Self.status(of: failure.kind)
        let body = ["statusMessage": "\(status.code) \(status.reasonPhrase)", "error": failure.error,
                    "error_description": failure.description]
        return (try? json(body, status: status)) ?? Response(status: status, headers: apiHeaders())
    }

    /// The status the original API answered each kind of refusal with.
    static func status(of kind: LogintooAPI.Failure.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .unavailable: .serviceUnavailable
        case .serverFailure: .internalServerError
        }
    }

    static func preflight(_ request: Request) -> Response {
        var headers = apiHeaders()
        headers[.accessControlAllowMethods] = "GET, POST, PATCH, DELETE, OPTIONS"
        headers[.accessControlAllowHeaders] = "Content-Type, Authorization"
        headers[.accessControlMaxAge] = "600"
        return Response(status: .noContent, headers: headers)
    }
}

/// A passkey added through the API: `201` with its name.
struct PasskeyAdded: Encodable {
    let name: String
    var statusMessage = "201 Created"
}

/// The original's plain answers: `{"statusCode":200,"statusMessage":"200 OK"}`, `{"statusMessage":"200 OK"}`, `{}`.
struct StatusAnswer: Encodable {
    var statusCode: Int?
    var statusMessage: String? = "200 OK"
}
