import Hummingbird
import LogintooCore
import LogintooVerifier
import LogintooVerifierHummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the client's address, used for the per-IP send throttle.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, AccessTokenRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `BearerTokenMiddleware` on the demo API's routes.
    public var accessToken: VerifiedAccessToken?
    /// Set by `AdminAccessMiddleware` on the admin API's routes: the admin client calling.
    public var adminCaller: AdminCaller?
    /// The client's IP address as text: the socket peer, or the address a trusted proxy forwarded for
    /// (`RequestFrameMiddleware`).
    public var clientIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientIP = remoteAddress?.ipAddress ?? "unknown"
    }
}
