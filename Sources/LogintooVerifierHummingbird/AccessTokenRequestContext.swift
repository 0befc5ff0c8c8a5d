import Hummingbird
import LogintooVerifier

/// A request context that carries the verified access token of the request, set by `BearerTokenMiddleware`.
public protocol AccessTokenRequestContext: RequestContext {
    /// The request's verified token; `nil` on routes the middleware does not guard.
    var accessToken: VerifiedAccessToken? { get set }
}
