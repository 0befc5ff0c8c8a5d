import Foundation
import Logging
import LogintooCore
import LogintooMail
import Synchronization
import Testing

/// The delivery worker keeps attempts under way side by side: a receiver that never answers holds its own deliveries,
/// not the others' (docs/security.md N95).
@Suite("The delivery worker")
struct DeliveryWorkerTests {
    @Test("while one receiver hangs, holding four places, every delivery to another is made")
    func aHangingReceiverHoldsOnlyItsOwn() async throws {
        let server = try await TestServer.make()
        let administration = WebhookAdministration(store: server.store, secret: server.secret, clock: server.clock,
                                                   random: server.random, events: server.context.events)
        _ = try await administration.add(url: "https://slow.example/in", events: ["account.enabled"], actor: "cli")
        _ = try await administration.add(url: "https://fast.example/in", events: ["account.enabled"], actor: "cli")
        for n in 0..<30 {
            await server.context.events.record(.accountEnabled(email: "p\(n)@example.com", accountId: "acc-\(n)", actor: "cli"))
        }
        let delivered = Mutex<[String: Int]>([:])
        let worker = DeliveryWorker(
            store: server.store,
            composer: DeliveryComposer(logoutTokens: LogoutTokenMinter(keys: server.context.keys, issuer: TestServer.issuer,
                                                                       random: server.random),
                                       webhookKeys: WebhookSigningKeys(store: server.store, secret: server.secret)),
            clock: server.clock, random: server.random, logger: Logger(label: "test"), pollInterval: .milliseconds(50),
            post: { url, _ in
                if url.contains("slow") { try await Task.sleep(for: .seconds(600)) }
                delivered.withLock { $0[url, default: 0] += 1 }
            })
        let running = Task { try await worker.run() }
        // Seconds in a quiet run; the bound is for a machine busy with every other suite at once.
        let deadline = ContinuousClock.now + .seconds(60)
        while delivered.withLock({ $0["https://fast.example/in"] ?? 0 }) < 30 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(delivered.withLock { $0 } == ["https://fast.example/in": 30],
                "the fast receiver got all thirty, more than the worker's places, while the slow one has answered none")
        let pending = try await server.store.recentDeliveries(limit: 100).filter { $0.target == "https://slow.example/in" }
        #expect(pending.count == 30 && pending.allSatisfy { $0.state == "pending" }, "none lost")
        #expect(pending.filter { $0.attempts == 1 }.count == DeliveryClaim.perTarget, "four under way, the rest waiting their turn")
        running.cancel()
        _ = await running.result
    }
}
