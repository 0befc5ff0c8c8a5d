/// A completed sign-in, as the caller hands it to the browser or the API client.
public struct SignedIn: Sendable, Equatable {
    public let account: Account
    /// The new session's cookie value; only its digest is stored.
    public let sessionToken: String
    public let session: Session
    /// Back to the client, with the authorization code.
    public let redirect: String
    /// That authorization code, which `AuthorizationService.renewCode` can replace while the session lives.
    public let code: String
    /// The known-browser cookie's value, valid `Policy.knownBrowserLifetime` seconds; `nil` outside a browser.
    public let knownBrowserToken: String?
}

/// Where a sign-in completes: in a browser at the hosted pages, which becomes known to the account, or through the
/// Logintoo JSON API, whose client has no cookies and whose 2020-11 version answers without `iss`.
public struct SignInDelivery: Sendable, Equatable {
    public var remembersBrowser: Bool
    public var redirectCarriesIssuer: Bool

    public static let browser = SignInDelivery(remembersBrowser: true, redirectCarriesIssuer: true)

    public static func logintooAPI(redirectCarriesIssuer: Bool) -> SignInDelivery {
        SignInDelivery(remembersBrowser: false, redirectCarriesIssuer: redirectCarriesIssuer)
    }
}
