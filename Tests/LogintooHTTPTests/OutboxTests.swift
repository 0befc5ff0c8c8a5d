import Foundation
import Logging
import LogintooCore
import LogintooMail
import LogintooStore
import Testing

@Suite("Email outbox")
struct OutboxTests {
    /// A mailer that fails until told otherwise.
    actor FlakyMailer: Mailer {
        var failing = true
        var sent: [String] = []
        var attempts = 0

        func heal() { failing = false }

        func send(_ message: EmailMessage, id: String) async throws {
            attempts += 1
            if failing { throw SMTPError.connectionClosed }
            sent.append(id)
        }
    }

    func queue(_ server: TestServer, email: String = "alice@example.com") async throws {
        let login = LoginTransaction(id: "tx-\(email)", browserHash: "b",
                                     request: AuthorizationRequest(clientId: server.publicClient.id,
                                                                   redirectUri: server.publicClient.redirectURIs[0],
                                                                   scope: ["openid"], codeChallenge: TestServer.challenge),
                                     createdAt: server.clock.now(), expiresAt: server.clock.now() + 3600)
        try await server.store.saveLogin(login)
        _ = try await server.context.signIn.sendCode(server.context.signIn.open(loginId: login.id, browserHash: "b"), email: email, clientIP: "192.0.2.9")
    }

    func worker(_ server: TestServer, mailer: any Mailer) -> OutboxWorker {
        OutboxWorker(store: server.store, mailer: mailer, secret: try! ServerSecret(bytes: Array(repeating: 9, count: 32)),
                     clock: server.clock, random: server.random, logger: Logger(label: "test"))
    }

    @Test("a failed delivery is retried with growing backoff, and delivered once")
    func retries() async throws {
        let server = try await TestServer.make()
        let mailer = FlakyMailer()
        let worker = worker(server, mailer: mailer)
        try await queue(server)
        #expect(try await worker.deliverDue() == 1)
        #expect(try await worker.deliverDue() == 0, "not due again before its backoff")
        server.clock.advance(by: 2)
        #expect(try await worker.deliverDue() <= 1)
        server.clock.advance(by: 10)
        await mailer.heal()
        _ = try await worker.deliverDue()
        server.clock.advance(by: 60)
        _ = try await worker.deliverDue()
        #expect(await mailer.sent.count == 1, "delivered exactly once")
        #expect(try await server.store.pendingMessageCount() == 0)
        let content = try await server.store.engine.run { db in
            try await db.raw("SELECT sealed_content FROM outbox").all(decodingColumn: "sealed_content", as: String?.self)
        }
        #expect(content == [nil], "a delivered message's content is erased")
    }

    @Test("delivery stops once the code has expired")
    func abandonsExpired() async throws {
        let server = try await TestServer.make()
        let mailer = FlakyMailer()
        let worker = worker(server, mailer: mailer)
        try await queue(server)
        for _ in 0..<40 {
            _ = try await worker.deliverDue()
            server.clock.advance(by: 30)
        }
        let attempts = await mailer.attempts
        #expect(attempts >= 3 && attempts < 20)
        #expect(try await server.store.pendingMessageCount() == 0)
        await mailer.heal()
        _ = try await worker.deliverDue()
        #expect(await mailer.sent.isEmpty, "an expired code is never mailed")
    }

    @Test("housekeeping removes what has expired and keeps what is live")
    func housekeeping() async throws {
        let server = try await TestServer.make()
        try await server.test { client in _ = try await Browser(client).signIn(server) }
        let now = server.clock.now()
        try await server.store.engine.run { db in
            try await db.raw("INSERT INTO send_pauses (mailbox, paused_at) VALUES ('bob@example.com', \(bind: now))").run()
        }
        try await server.store.purgeExpired(now: now)
        let counts = { () async throws -> [Int] in
            try await server.store.engine.run { db in
                var counts: [Int] = []
                for table in ["sessions", "challenges", "outbox", "authorization_codes", "send_pauses", "known_browsers"] {
                    counts.append(try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self) ?? -1)
                }
                return counts
            }
        }
        #expect(try await counts() == [1, 1, 1, 1, 1, 1])
        try await server.store.purgeExpired(now: now + 40 * 86_400)
        #expect(try await counts() == [0, 0, 0, 0, 0, 1], "a known browser is remembered for a year")
        try await server.store.purgeExpired(now: now + 366 * 86_400)
        #expect(try await counts() == [0, 0, 0, 0, 0, 0])
    }

    @Test("messages are MIME with an encoded subject when it is not ASCII")
    func mime() async throws {
        let message = EmailMessage(to: "a@example.com", subject: "Votre code pour Café", text: "Bonjour\n.\nfin")
        let rendered = MIMEMessage.render(message, from: "Logintoo <l@example.com>", id: "m1", date: Date(timeIntervalSince1970: 0),
                                          domain: "example.com")
        #expect(rendered.contains("Subject: =?UTF-8?B?"))
        #expect(rendered.contains("Message-ID: <m1@example.com>"))
        #expect(rendered.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(rendered.contains("Content-Transfer-Encoding: base64"))
    }
}
