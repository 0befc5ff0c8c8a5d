import Hummingbird
import LogintooCore

/// `/userinfo` (GET and POST): the signed-in person's claims, for a valid access token only (RFC 6750 Bearer).
struct UserInfoEndpoint {
    let userInfo: UserInfoService

    func register(on router: Router<AppRequestContext>) {
        router.get("/userinfo") { request, _ in try await handle(request) }
        router.post("/userinfo") { request, _ in try await handle(request) }
    }

    func handle(_ request: Request) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefixIgnoringCase("bearer ") else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"logintoo\"", .cacheControl: "no-store"])
        }
        let token = header.dropFirst(7).trimmingOptionalWhitespace()
        guard let info = try await userInfo.userInfo(accessToken: token) else {
            return Response(status: .unauthorized, headers: [
                .wwwAuthenticate: "Bearer realm=\"logintoo\", error=\"invalid_token\"", .cacheControl: "no-store",
            ])
        }
        return try Reply.noStoreJSON(info)
    }
}
