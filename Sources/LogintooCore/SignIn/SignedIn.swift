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
/// Logintoo JSON API, whose client has no cookies, whose pages are the client's own, and whose 2020-11 version answers
/// without `iss`.
public struct SignInDelivery: Sendable, Equatable {
    public var remembersBrowser: Bool
    public var redirectCarriesIssuer: Bool
    /// Whether the person is on the client's own login page rather than the hosted pages: a passkey ceremony there is
    /// written with the client's origin.
    public var onClientPage: Bool

    public static let browser = SignInDelivery(remembersBrowser: true, redirectCarriesIssuer: true, onClientPage: false)

    public static func logintooAPI(redirectCarriesIssuer: Bool) -> SignInDelivery {
        SignInDelivery(remembersBrowser: false, redirectCarriesIssuer: redirectCarriesIssuer, onClientPage: true)
    }
}
