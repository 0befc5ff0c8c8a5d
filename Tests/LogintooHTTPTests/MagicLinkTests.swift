import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("Magic link")
struct MagicLinkTests {
    @Test("in the browser that asked: scanners' GET and HEAD change nothing, the POST signs in, and the code is spent too")
    func sameBrowser() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.askForCode(server)
            let code = try #require(try await server.deliveredCode())
            let link = try await server.emailedLink("/login/link?t=")
            let token = try #require(queryItems(link)["t"])
            #expect(token.count >= 22, "at least 128 bits")
            let scanner = Browser(client)
            for method in [HTTPRequest.Method.head, .get, .get] {
                #expect(try await scanner.send(link, method: method, headers: [:], body: nil).status == .ok)
            }
            let confirmation = String(buffer: try await browser.get(link).body)
            #expect(confirmation.contains("alice@example.com") && !confirmation.contains("name=\"number\""))
            let done = try await browser.post("/login/link", form: [("t", token)])
            let location = try #require(done.headers[.location])
            #expect(done.status == .seeOther && queryItems(location)["code"] != nil, "back to the client with a code")
            let late = try await Browser(client).post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            #expect(late.headers[.location] == nil, "the code went with the link")
            #expect(try await browser.post("/login/link", form: [("t", token)]).status == .badRequest, "single use")
        }
    }

    @Test("on another device: the number the waiting browser shows approves it, and the waiting browser finishes by itself")
    func otherDevice() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let waiting = Browser(client)
            let (tx, csrf) = try await waiting.askForCode(server)
            let link = try await server.emailedLink("/login/link?t=")
            let token = try #require(queryItems(link)["t"])
            let number = server.context.signIn.confirmationNumber(loginId: tx)
            let codePage = String(buffer: try await waiting.get("/login?tx=\(tx)").body)
            #expect(codePage.contains(number) && codePage.contains("/assets/login.js"))
            #expect(try json(try await waiting.get("/login/status?tx=\(tx)"))["approved"] as? Bool == false)

            let phone = Browser(client)
            #expect(String(buffer: try await phone.get(link).body).contains("name=\"number\""))
            let approved = try await phone.post("/login/link", form: [("t", token), ("number", number)])
            #expect(approved.status == .ok && approved.headers[.location] == nil, "the phone does not sign in")
            #expect(try json(try await waiting.get("/login/status?tx=\(tx)"))["approved"] as? Bool == true)
            #expect(try json(try await phone.get("/login/status?tx=\(tx)"))["approved"] as? Bool == false, "only the asking browser")
            let stranger = try await phone.post("/login/complete", form: [("tx", tx), ("csrf", csrf)])
            #expect(stranger.headers[.location] == nil, "another browser cannot finish it")
            let finished = try await waiting.post("/login/complete", form: [("tx", tx), ("csrf", csrf)])
            let location = try #require(finished.headers[.location])
            #expect(finished.status == .seeOther && queryItems(location)["code"] != nil)
            let twice = try await waiting.post("/login/complete", form: [("tx", tx), ("csrf", csrf)])
            #expect(twice.headers[.location] == nil, "finished once")
        }
    }

    @Test("a wrong number burns the link but leaves the code; an unknown link shows a page")
    func wrongNumber() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let waiting = Browser(client)
            let (tx, csrf) = try await waiting.askForCode(server)
            let code = try #require(try await server.deliveredCode())
            let link = try await server.emailedLink("/login/link?t=")
            let token = try #require(queryItems(link)["t"])
            let number = server.context.signIn.confirmationNumber(loginId: tx)
            let wrong = number == "10" ? "11" : "10"
            let phone = Browser(client)
            #expect(try await phone.post("/login/link", form: [("t", token), ("number", wrong)]).status == .badRequest)
            #expect(try await phone.post("/login/link", form: [("t", token), ("number", number)]).status == .badRequest)
            #expect(try await phone.get(link).status == .notFound)
            let done = try await waiting.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            #expect(done.status == .seeOther, "the code still works")
        }
    }

    @Test("a link whose client was removed since it was sent shows the invalid-link page and signs no one in")
    func clientRemoved() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            _ = try await browser.askForCode(server)
            let link = try await server.emailedLink("/login/link?t=")
            let token = try #require(queryItems(link)["t"])
            #expect(try await server.store.removeClient(id: server.publicClient.id))
            #expect(try await browser.get(link).status == .notFound)
            let used = try await browser.post("/login/link", form: [("t", token)])
            #expect(used.status == .badRequest && used.headers[.location] == nil)
            let sessions = try await server.store.engine.run { db in
                try await db.raw("SELECT COUNT(*) AS n FROM sessions").first(decodingColumn: "n", as: Int.self)
            }
            #expect(sessions == 0)
        }
    }
}
