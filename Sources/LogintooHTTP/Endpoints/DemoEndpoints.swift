import Hummingbird

/// The demo client's page and script, served when the demo is on.
struct DemoEndpoints {
    let issuer: String
    let clientId: String

    func register(on router: Router<AppRequestContext>) {
        let page = DemoAssets.page(issuer: issuer, clientId: clientId)
        router.get("/demo") { _, _ in Reply.html(page) }
        router.get("/demo/app.js") { _, _ in
            Reply.text(DemoAssets.script, contentType: "text/javascript; charset=utf-8", cacheControl: "no-cache")
        }
    }
}
