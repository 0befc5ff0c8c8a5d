import HTTPTypes
import Hummingbird
import LogintooCore

/// Liveness and readiness, and the login pages' stylesheet.
struct OperationsEndpoints {
    let outbox: OutboxMonitor
    let readiness: Readiness
    let metrics: ServerMetrics

    func register(on router: Router<AppRequestContext>) {
        registerHealth(on: router)
        router.get("/assets/login.css") { _, _ in
            Reply.text(PageTemplates.stylesheet, contentType: "text/css; charset=utf-8", cacheControl: "public, max-age=3600")
        }
        router.get("/assets/login.js") { _, _ in
            Reply.text(PageTemplates.script, contentType: "text/javascript; charset=utf-8", cacheControl: "public, max-age=3600")
        }
    }

    func registerMetrics(on router: Router<AppRequestContext>) {
        router.get("/metrics") { _, _ in
            let depth = (try? await outbox.pendingMessageCount()) ?? -1
            return Reply.text(metrics.render(outboxDepth: depth), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    func registerHealth(on router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in
            var response = Reply.text("ok\n")
            response.headers[HTTPField.Name("Logintoo-Version")!] = LogintooVersion.current
            return response
        }
        router.get("/readyz") { _, _ in
            guard readiness.isReady else { return Reply.text("shutting down\n", status: .serviceUnavailable) }
            do {
                _ = try await outbox.pendingMessageCount()
                return Reply.text("ready\n")
            } catch {
                return Reply.text("database unavailable\n", status: .serviceUnavailable)
            }
        }
    }
}
