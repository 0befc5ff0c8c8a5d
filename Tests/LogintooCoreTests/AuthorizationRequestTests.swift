import LogintooCore
import Testing

@Suite("Authorization request validation")
struct AuthorizationRequestTests {
    let client = Client(id: "c1", name: "App", secretHash: nil, redirectURIs: ["https://app.example.com/cb"], createdAt: 0)
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    func params(_ extra: [(String, String)] = [], without: Set<String> = []) -> [(String, String)] {
        let base = [("response_type", "code"), ("client_id", "c1"), ("redirect_uri", "https://app.example.com/cb"),
                    ("scope", "openid email"), ("state", "st"), ("code_challenge", challenge), ("code_challenge_method", "S256")]
        return base.filter { !without.contains($0.0) } + extra
    }

    func redirectError(_ parameters: [(String, String)]) -> OAuthError.Code? {
        do {
            _ = try AuthorizationRequestParser.parse(parameters, client: client)
            return nil
        } catch .redirect(let error, _, let state) {
            #expect(state == "st")
            return error.code
        } catch {
            return nil
        }
    }

    @Test("a complete request is accepted; unknown parameters are ignored")
    func accepted() throws {
        let request = try AuthorizationRequestParser.parse(params([("unknown", "x")]), client: client)
        #expect(request.scope == ["openid", "email"])
        #expect(request.codeChallenge == challenge)
    }

    @Test("an unknown client or unregistered redirect URI is never redirected to")
    func noRedirect() {
        #expect(throws: AuthorizationRequestError.cannotRedirect("The application (client_id) is not registered here.")) {
            try AuthorizationRequestParser.parse(params(), client: nil)
        }
        var other = params(without: ["redirect_uri"])
        other.append(("redirect_uri", "https://evil.example.com/cb"))
        #expect(throws: AuthorizationRequestError.cannotRedirect("The redirect_uri is not registered for this application.")) {
            try AuthorizationRequestParser.parse(other, client: client)
        }
        #expect(throws: AuthorizationRequestError.cannotRedirect("redirect_uri is given more than once.")) {
            try AuthorizationRequestParser.parse(params([("redirect_uri", "https://app.example.com/cb")]), client: client)
        }
    }

    @Test("public clients must use PKCE with S256; plain and a missing method are refused")
    func pkce() {
        #expect(redirectError(params(without: ["code_challenge", "code_challenge_method"])) == .invalidRequest)
        #expect(redirectError(params(without: ["code_challenge_method"])) == .invalidRequest)
        #expect(redirectError(params([("code_challenge_method", "plain")], without: ["code_challenge_method"])) == .invalidRequest)
        #expect(redirectError(params([("code_challenge", "short")], without: ["code_challenge"])) == .invalidRequest)
    }

    @Test("other problems go back to the client with their RFC error code")
    func redirectedErrors() {
        #expect(redirectError(params([("response_type", "token")], without: ["response_type"])) == .unsupportedResponseType)
        #expect(redirectError(params(without: ["response_type"])) == .invalidRequest)
        #expect(redirectError(params([("scope", "openid admin")], without: ["scope"])) == .invalidScope)
        #expect(redirectError(params([("request", "eyJ")])) == .requestNotSupported)
        #expect(redirectError(params([("request_uri", "urn:x")])) == .requestURINotSupported)
        #expect(redirectError(params([("nonce", "a"), ("nonce", "b")])) == .invalidRequest)
        #expect(redirectError(params([("prompt", "none login")])) == .invalidRequest)
        #expect(redirectError(params([("max_age", "-1")])) == .invalidRequest)
        #expect(redirectError(params([("response_mode", "fragment")])) == .invalidRequest)
    }
}
