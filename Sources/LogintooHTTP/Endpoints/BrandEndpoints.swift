import Hummingbird
import LogintooCore

/// The branding's stylesheets: `/assets/brand.css` carries the server's accent colour, `?client=ID` the client's (the
/// server's when the client has none), cached for five minutes: a changed accent shows soon, and a page costs no lookup.
/// `/assets/theme.css` is the operator's theme stylesheet, when there is one.
struct BrandEndpoints {
    let clients: ClientRegistry
    let branding: ServerBranding
    let theme: PageTheme

    func register(on router: Router<AppRequestContext>) {
        router.get("/assets/brand.css") { request, _ in try await stylesheet(request) }
        if let css = theme.stylesheet {
            router.get("/assets/theme.css") { _, _ in
                Reply.text(css, contentType: "text/css; charset=utf-8", cacheControl: "public, max-age=300")
            }
        }
    }

    func stylesheet(_ request: Request) async throws -> Response {
        var client: Client?
        if let id = request.uri.queryParameters["client"], !id.isEmpty {
            client = try await clients.client(id: String(id))
        }
        let css = BrandStylesheet.css(accent: branding.resolved(for: client).accentColor)
        return Reply.text(css, contentType: "text/css; charset=utf-8", cacheControl: "public, max-age=300")
    }
}
