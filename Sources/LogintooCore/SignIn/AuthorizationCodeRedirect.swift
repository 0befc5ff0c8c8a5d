/// A new authorization code for a request, as stored (only its digest) and as the redirect that carries it back to the
/// client, with `iss` (RFC 9207) unless `withIssuer` is false, as the Logintoo 2020-11 API answered.
public struct AuthorizationCodeRedirect: Sendable, Equatable {
    public let record: AuthorizationCode
    public let location: String

    /// `code` is the new code's value, fresh from the random source.
    public init(code: String, request: AuthorizationRequest, accountId: String, session: Session, now: Int64, policy: Policy,
                withIssuer: Bool = true) {
        record = AuthorizationCode(
            codeHash: SecretDigest.sha256(code), clientId: request.clientId, redirectUri: request.redirectUri,
            codeChallenge: request.codeChallenge, nonce: request.nonce, scope: request.scopeString, accountId: accountId,
            sessionHash: session.idHash, authTime: session.authTime, createdAt: now,
            expiresAt: now + policy.authorizationCodeLifetime, state: request.state, language: request.language,
            locale: request.locale, resource: request.resource, amr: session.amr, acr: session.acr,
            dpopJkt: request.dpopJkt)
        location = Self.location(code: code, redirectUri: request.redirectUri, state: request.state, language: request.language,
                                 locale: request.locale, issuer: withIssuer ? policy.issuer : nil)
    }

    /// The redirect URI with the code, the request's `state`, Logintoo's `language` and `locale`, and `iss`.
    static func location(code: String, redirectUri: String, state: String?, language: String?, locale: String?, issuer: String?)
        -> String {
        var items = [("code", code)]
        if let state { items.append(("state", state)) }
        if let language { items.append(("language", language)) }
        if let locale { items.append(("locale", locale)) }
        if let issuer { items.append(("iss", issuer)) }
        return URLQuery.append(items, to: redirectUri)
    }
}
