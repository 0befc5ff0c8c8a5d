import HTTPTypes
import Hummingbird

/// With a server-wide logo, every hosted page shows it: a page answered with the plain policy (no client logo of its
/// own) may load images from the logo's origin too. The admin console and the demo draw no logo, so they keep the plain
/// policy.
struct ServerLogoPolicy: Sendable {
    let logoOrigin: String

    func allowLogo(in response: inout Response, path: String) {
        guard response.headers[.contentSecurityPolicy] == Reply.contentSecurityPolicy,
              !path.hasPrefix("/admin"), !path.hasPrefix("/demo")
        else { return }
        response.headers[.contentSecurityPolicy] = Reply.contentSecurityPolicy(imagesFrom: logoOrigin)
    }
}
