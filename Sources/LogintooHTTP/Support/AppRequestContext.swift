import Hummingbird
import LogintooVerifier
import NIOCore

/// The request context: Hummingbird's core storage plus the peer address, used for the per-IP send throttle.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, AccessTokenRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `BearerTokenMiddleware` on the demo API's routes.
    public var accessToken: VerifiedAccessToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text (the socket peer; proxies are not trusted for it).
    public var clientIP: String { remoteAddress?.ipAddress ?? "unknown" }
}
