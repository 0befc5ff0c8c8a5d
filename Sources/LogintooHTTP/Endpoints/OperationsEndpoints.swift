import Hummingbird
import LogintooCore

/// Liveness and readiness, and the login pages' stylesheet.
struct OperationsEndpoints {
    let server: ServerContext

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in Reply.text("ok\n") }
        router.get("/readyz") { _, _ in
            guard server.readiness.isReady else { return Reply.text("shutting down\n", status: .serviceUnavailable) }
            do {
                _ = try await server.store.pendingMessageCount()
                return Reply.text("ready\n")
            } catch {
                return Reply.text("database unavailable\n", status: .serviceUnavailable)
            }
        }
        router.get("/assets/login.css") { _, _ in
            Reply.text(PageTemplates.stylesheet, contentType: "text/css; charset=utf-8", cacheControl: "public, max-age=3600")
        }
    }
}
