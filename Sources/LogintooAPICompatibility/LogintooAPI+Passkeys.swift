import LogintooCore

/// The 2026-06 API's WebAuthn ceremonies, for a client's own login page: signing in with a passkey (bound, like `/otp`,
/// to the PKCE challenge, so only the holder of the verifier gets the tokens), and adding a passkey with the refresh token
/// of a sign-in less than `PasskeyService.enrollmentWindow` old. The page runs the ceremonies on its own origin, which
/// must be one of the client's redirect URIs' origins under the RP ID.
extension LogintooAPI {
    // MARK: POST /webauthn/authentication/options

    /// Starts (or continues) the passkey sign-in of (client, challenge) and answers the options for
    /// `navigator.credentials.get`.
    public func passkeySignInOptions(_ body: LogintooAPIBody) async throws -> PasskeyRequestOptions {
        let (clientId, challenge) = try Self.pkceStart(body)
        let request = try Self.authorizationRequest(body, clientId: clientId, challenge: challenge)
        guard let client = try await store.client(id: clientId), client.accepts(redirectURI: request.redirectUri) else {
            throw Failure.forbidden("the client is unknown or the redirect URI is not registered for it")
        }
        let open = try await startLogin(passkeyLoginId(clientId: clientId, challenge: challenge), request: request, client: client)
        return try await passkeys.authenticationOptions(open)
    }

    // MARK: POST /webauthn/authentication

    /// Checks the assertion against the sign-in's ceremony; on success, the redirect (with `code`) to the client, as
    /// `/otp` answers.
    public func passkeySignIn(_ body: LogintooAPIBody) async throws -> String {
        let clientId = try body.uuid("client_id")
        let challenge = try body.base64URL("code_challenge")
        let credential = try body.passkeyAssertion("credential")
        guard let open = try await liveLogin(passkeyLoginId(clientId: clientId, challenge: challenge)),
              open.client.accepts(redirectURI: open.login.request.redirectUri)
        else { throw Self.noPasskeySignIn }
        let outcome: PasskeyService.SignInOutcome
        do {
            outcome = try await passkeys.signIn(open, response: credential, delivery: .logintooAPI(redirectCarriesIssuer: true))
        } catch let failure as PasskeyService.Failure {
            throw Self.refusal(failure)
        }
        switch outcome {
        case .signedIn(let signedIn): return signedIn.redirect
        case .accountDisabled: throw Failure.forbidden("this account is disabled")
        }
    }

    // MARK: POST /webauthn/registration/options, /webauthn/registration

    /// Options for `navigator.credentials.create` for the account of the body's `refresh_token` of `client_id`.
    public func passkeyRegistrationOptions(_ body: LogintooAPIBody) async throws -> PasskeyCreationOptions {
        let clientId = try body.uuid("client_id")
        guard let options = try await passkeys.registrationOptions(refreshToken: try body.refreshToken(), clientId: clientId) else {
            throw Self.noRecentSignIn
        }
        return options
    }

    /// Checks the new credential against the ceremony the body's `refresh_token` started and adds it to that account,
    /// with the "passkey added" email; answers the passkey's name.
    public func addPasskey(_ body: LogintooAPIBody, acceptLanguage: String? = nil) async throws -> String {
        let clientId = try body.uuid("client_id")
        let refreshToken = try body.refreshToken()
        let credential = try body.passkeyRegistration("credential")
        let name = try body.optionalText("name")
        do {
            return try await passkeys.register(refreshToken: refreshToken, clientId: clientId, response: credential, name: name,
                                               acceptLanguage: acceptLanguage).name
        } catch PasskeyService.Failure.noSession {
            throw Self.noRecentSignIn
        } catch let failure as PasskeyService.Failure {
            throw Self.refusal(failure)
        }
    }

    // MARK: helpers

    static let noPasskeySignIn = Failure.forbidden(
        "there is no passkey sign-in waiting for this client and code_challenge; ask for options again")
    static let noRecentSignIn = Failure.unauthorized(
        "refresh_token must be client_id's current refresh token from this API's sign-in less than 10 minutes ago")

    /// A refused ceremony, described without repeating what was sent.
    static func refusal(_ failure: PasskeyService.Failure) -> Failure {
        switch failure {
        case .unknownCeremony:
            .forbidden("the challenge is unknown, used or expired; ask for options again")
        case .unknownCredential:
            .unauthorized("this passkey is not registered here")
        case .alreadyRegistered:
            .forbidden("this passkey is registered already")
        case .malformed(let what):
            .badRequest("credential: \(what)")
        case .ceremony, .noSession:
            .unauthorized("the passkey's answer did not pass the WebAuthn checks")
        }
    }

    /// The passkey sign-in of (client, challenge): no address is known before the passkey answers.
    func passkeyLoginId(clientId: String, challenge: String) -> String {
        SecretDigest.hmac("passkey\n\(clientId)\n\(challenge)", key: loginKey)
    }
}
