import HTTPTypes
import Hummingbird
import LogintooCore

/// `/userinfo` (GET and POST): the signed-in person's claims, for a valid access token only: a Bearer token (RFC 6750),
/// or a DPoP-bound token with a proof by its key (RFC 9449 §7).
struct UserInfoEndpoint {
    let userInfo: UserInfoService
    let dpop: DPoPProofs
    let issuer: String

    func register(on router: Router<AppRequestContext>) {
        router.get("/userinfo") { request, _ in try await handle(request) }
        router.post("/userinfo") { request, _ in try await handle(request) }
    }

    func handle(_ request: Request) async throws -> Response {
        let values = request.headers[values: .authorization]
        guard values.count == 1, let header = values.first, let (scheme, token) = Self.credentials(header) else {
            return challenge(nil)
        }
        var proofKey: String?
        if scheme == .dpop {
            do {
                proofKey = try await dpop.proofKey(request.headers[values: .dpop], method: request.method.rawValue,
                                                   url: issuer + "/userinfo", accessToken: token)
                if proofKey == nil { return challenge(.dpop, error: OAuthError(.invalidDPoPProof, "the DPoP scheme needs a DPoP proof")) }
            } catch let failure as DPoPFailure {
                return challenge(.dpop, error: failure.oauthError)
            }
        }
        switch try await userInfo.answer(accessToken: token, proofKey: proofKey) {
        case .claims(let info):
            var response = try Reply.noStoreJSON(info)
            if scheme == .dpop { response.headers.append(contentsOf: dpop.nonceHeaders()) }
            return response
        case .invalidToken:
            return challenge(scheme, error: OAuthError(.invalidToken, "the access token is invalid, expired or revoked"))
        case .wrongBinding(let why):
            return challenge(.dpop, error: OAuthError(.invalidToken, why))
        }
    }

    enum Scheme { case bearer, dpop }

    /// The scheme and token of an `Authorization` header (schemes are case-insensitive).
    static func credentials(_ header: String) -> (Scheme, String)? {
        for (prefix, scheme) in [("bearer ", Scheme.bearer), ("dpop ", .dpop)] where header.hasPrefixIgnoringCase(prefix) {
            let token = header.dropFirst(prefix.count).trimmingOptionalWhitespace()
            return token.isEmpty ? nil : (scheme, token)
        }
        return nil
    }

    /// 401 with a challenge in `scheme`, the scheme of the refused request; both schemes, without an error, when no
    /// usable credentials came, since either may be the right one (RFC 9449 §7.1).
    func challenge(_ scheme: Scheme?, error: OAuthError? = nil) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if scheme != .bearer { headers.append(contentsOf: dpop.nonceHeaders()) }
        if scheme != .dpop {
            let detail = error.map { ", error=\"\($0.code.rawValue)\", error_description=\"\($0.detail)\"" } ?? ""
            headers.append(HTTPField(name: .wwwAuthenticate, value: "Bearer realm=\"logintoo\"" + detail))
        }
        if scheme != .bearer { headers.append(HTTPField(name: .wwwAuthenticate, value: DPoPProofs.challenge(error: error))) }
        return Response(status: .unauthorized, headers: headers)
    }
}
