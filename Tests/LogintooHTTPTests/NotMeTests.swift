import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("This wasn't me")
struct NotMeTests {
    @Test("a scanner's GET and HEAD change nothing; the person's POST ends the sign-in and pauses codes for an hour")
    func cancel() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.askForCode(server)
            let code = try #require(try await server.deliveredCode())
            let link = try await server.emailedLink("/login/not-me?t=")
            let token = try #require(queryItems(link)["t"])
            #expect(token.count >= 22, "at least 128 bits")

            let scanner = Browser(client)
            for method in [HTTPRequest.Method.get, .head, .get] {
                let page = try await scanner.send(link, method: method, headers: [:], body: nil)
                #expect(page.status == .ok)
            }
            let confirmation = try await scanner.get(link)
            #expect(String(buffer: confirmation.body).contains("alice@example.com"))
            let crossSite = try await scanner.post("/login/not-me", form: [("t", token)], headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .badRequest)

            let done = try await scanner.post("/login/not-me", form: [("t", token)], headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"])
            #expect(done.status == .ok && String(buffer: done.body).contains(Words("en")["page.notme.done.title"]))
            let again = try await scanner.post("/login/not-me", form: [("t", token)])
            #expect(again.status == .badRequest, "the link works once")
            let late = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            #expect(late.status == .badRequest && late.headers[.location] == nil, "the pending sign-in is over")

            let sent = await server.mailer.messages.count
            _ = try await browser.askForCode(server)
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.count == sent, "no code for an hour")
            server.clock.advance(by: 3601)
            _ = try await browser.askForCode(server)
            #expect(try await server.deliveredCode() != nil, "codes flow again after the hour")
            let audit = try await server.store.auditRecords(limit: 10, kind: "sign_ins_cancelled", email: "alice@example.com")
            #expect(audit.count == 1)
        }
    }

    @Test("an unknown link shows a page and changes nothing")
    func unknown() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let shown = try await client.execute(uri: "/login/not-me?t=nothing", method: .get)
            #expect(shown.status == .notFound)
            let posted = try await Browser(client).post("/login/not-me", form: [("t", "nothing")])
            #expect(posted.status == .badRequest)
        }
    }
}
