import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("Passkeys at the hosted pages")
struct PasskeyFlowTests {
    static let session = "__Host-logintoo-session"

    /// Signs in with an emailed code from a browser whose script said it can make passkeys; the answer to the code form.
    static func codeSignIn(_ server: TestServer, _ browser: Browser, email: String = "alice@example.com",
                           capable: Bool = true) async throws -> TestResponse {
        // prompt=login: a browser signed in already would otherwise go straight back to the client.
        let (tx, csrf) = try await browser.beginLogin(server, authorize: server.authorizeURI(extra: [("prompt", "login")]))
        _ = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", email)])
        let code = try #require(try await server.deliveredCode(to: email))
        return try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)]
            + (capable ? [("passkey_capable", "1")] : []))
    }

    /// From the offer page: creates a passkey, continues to the client; the redirect's authorization code.
    static func enroll(_ server: TestServer, _ browser: Browser, offer: TestResponse,
                       authenticator: inout PasskeyAuthenticator) async throws -> String {
        let csrf = try Page(offer).hidden("csrf")
        let options = try await browser.postJSON("/passkeys/registration/options", ["csrf": csrf])
        #expect(options.status == .ok)
        let added = try await browser.postJSON("/passkeys/registration",
                                               ["csrf": csrf, "credential": try authenticator.create(try json(options))])
        #expect(added.status == .created)
        let onward = try await browser.post("/login/continue", form: [("code", try Page(offer).hidden("code")), ("csrf", csrf)])
        #expect(onward.status == .seeOther)
        let location = try #require(onward.headers[.location])
        return try #require(queryItems(location)["code"])
    }

    /// The ID token's claims for an authorization code of the public client.
    static func idClaims(_ browser: Browser, _ server: TestServer, code: String) async throws -> [String: Any] {
        let tokens = try await browser.post("/token", form: [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://site.example.com/callback"),
            ("client_id", server.publicClient.id), ("code_verifier", TestServer.verifier),
        ])
        #expect(tokens.status == .ok)
        let idToken = try #require(try json(tokens)["id_token"] as? String)
        let payload = try #require(Base64URL.decode(idToken.split(separator: ".")[1]))
        return try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
    }

    /// A passkey sign-in at a new login page of `browser`: the answer to the assertion.
    static func passkeySignIn(_ server: TestServer, _ browser: Browser, _ authenticator: inout PasskeyAuthenticator,
                              origin: String? = nil, userVerified: Bool = true) async throws -> TestResponse {
        let (tx, csrf) = try await browser.beginLogin(server)
        let options = try await browser.postJSON("/login/passkey/options", ["tx": tx, "csrf": csrf])
        #expect(options.status == .ok)
        let credential = try authenticator.get(try json(options), origin: origin, userVerified: userVerified)
        return try await browser.postJSON("/login/passkey", ["tx": tx, "csrf": csrf, "credential": credential])
    }

    @Test("after an emailed code, a browser able to make passkeys is offered one; the passkey then signs in alone, with no mail")
    func offerThenPasskeySignIn() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let offer = try await Self.codeSignIn(server, browser)
            #expect(offer.status == .ok && offer.headers[.location] == nil)
            let html = Page(offer).html
            #expect(html.contains("id=\"passkey-create\"") && html.contains("id=\"passkey-skip\""))
            #expect(browser.cookies[Self.session] != nil, "the offer sets the session cookie a sign-in sets")
            var authenticator = PasskeyAuthenticator()
            let code = try await Self.enroll(server, browser, offer: offer, authenticator: &authenticator)
            #expect(try await Self.idClaims(browser, server, code: code)["amr"] as? [String] == ["otp"])

            try await server.worker.deliverDue()
            let mails = await server.mailer.messages.count
            let later = Browser(client)
            let answer = try await Self.passkeySignIn(server, later, &authenticator)
            #expect(answer.status == .ok)
            #expect(later.cookies[Self.session] != nil && later.cookies["__Host-logintoo-known"] != nil)
            let redirect = try #require(try json(answer)["redirect"] as? String)
            let passkeyCode = try #require(queryItems(redirect)["code"])
            let claims = try await Self.idClaims(later, server, code: passkeyCode)
            #expect(claims["amr"] as? [String] == ["hwk", "user"] && claims["acr"] as? String == "phr")
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.count == mails, "a passkey sign-in sends no mail")
        }
    }

    @Test("an assertion for another origin is refused, sets no cookie, and leaves the sign-in open")
    func wrongOriginIsRefused() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            var authenticator = PasskeyAuthenticator()
            _ = try await Self.enroll(server, browser, offer: try await Self.codeSignIn(server, browser), authenticator: &authenticator)
            let later = Browser(client)
            let (tx, csrf) = try await later.beginLogin(server)
            let options = try json(try await later.postJSON("/login/passkey/options", ["tx": tx, "csrf": csrf]))
            let phished = try await later.postJSON("/login/passkey", [
                "tx": tx, "csrf": csrf, "credential": try authenticator.get(options, origin: "https://login.example.com.evil.example"),
            ])
            #expect(try phished.status == .badRequest && json(phished)["error"] as? String == "refused")
            #expect(phished.headers[values: .setCookie].isEmpty && later.cookies[Self.session] == nil)
            let honest = try await later.postJSON("/login/passkey", ["tx": tx, "csrf": csrf, "credential": try authenticator.get(options)])
            #expect(honest.status == .ok)
        }
    }

    @Test("the script's posts need the login form's token, JSON and the browser that opened the sign-in")
    func scriptPostsAreBound() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.beginLogin(server)
            let forged = try await browser.postJSON("/login/passkey/options", ["tx": tx, "csrf": String(csrf.dropLast(2)) + "AA"])
            #expect(try forged.status == .badRequest && json(forged)["error"] as? String == "expired")
            let asForm = try await browser.post("/login/passkey/options", form: [("tx", tx), ("csrf", csrf)])
            #expect(asForm.status == .badRequest)
            let elsewhere = try await Browser(client).postJSON("/login/passkey/options", ["tx": tx, "csrf": csrf])
            #expect(elsewhere.status == .badRequest, "another browser's cookie does not continue this sign-in")
            let crossSite = try await browser.send("/login/passkey/options", method: .post,
                                                   headers: [.contentType: "application/json", .secFetchSite: "cross-site"],
                                                   body: ByteBuffer(string: #"{"tx":"\#(tx)","csrf":"\#(csrf)"}"#))
            #expect(crossSite.status == .badRequest)
            #expect(try await browser.postJSON("/login/passkey/options", ["tx": tx, "csrf": csrf]).status == .ok)
        }
    }

    @Test("no offer without passkey_capable, or after Not now; Not now is remembered in a __Host- cookie for 30 days")
    func noOfferWhenNotCapableOrDeclined() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let plain = try await Self.codeSignIn(server, Browser(client), capable: false)
            #expect(plain.status == .seeOther, "a browser that did not say it can make passkeys continues as before")
            let browser = Browser(client)
            let offer = try await Self.codeSignIn(server, browser, email: "bob@example.com")
            #expect(offer.status == .ok)
            let declined = try await browser.post("/login/continue", form: [
                ("code", try Page(offer).hidden("code")), ("csrf", try Page(offer).hidden("csrf")), ("choice", "decline"),
            ])
            #expect(declined.status == .seeOther)
            #expect(declined.headers[values: .setCookie].contains {
                $0.hasPrefix("__Host-logintoo-passkey-declined=1;") && $0.contains("Max-Age=2592000") && $0.contains("Secure")
            })
            let again = try await Self.codeSignIn(server, browser, email: "bob@example.com")
            #expect(again.status == .seeOther)
        }
    }

    @Test("the offer's code continues once, only in its session, and replaces the waiting code")
    func offerCodeIsRenewedOnce() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let offer = try await Self.codeSignIn(server, browser)
            let form = [("code", try Page(offer).hidden("code")), ("csrf", try Page(offer).hidden("csrf"))]
            #expect(try await Browser(client).post("/login/continue", form: form).status == .badRequest)
            let onward = try await browser.post("/login/continue", form: form)
            #expect(onward.status == .seeOther)
            #expect(try await browser.post("/login/continue", form: form).status == .badRequest)
            let location = try #require(onward.headers[.location])
            let fresh = try #require(queryItems(location)["code"])
            #expect(fresh != form[0].1)
            #expect(try await Self.idClaims(browser, server, code: fresh)["amr"] as? [String] == ["otp"])
        }
    }

    @Test("a sign-in that requires a passkey shows no email form, sends no code, and goes back with unmet_authentication_requirements")
    func passkeyRequired() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.beginLogin(server, authorize: server.authorizeURI(extra: [("acr_values", "phr")]))
            let page = Page(try await browser.get("/login?tx=\(tx)")).html
            #expect(!page.contains("action=\"/login/email\"") && page.contains("id=\"passkey-sign-in\""))
            let forced = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")])
            #expect(forced.status == .badRequest)
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.isEmpty)
            let back = try await browser.post("/login/abandon", form: [("tx", tx), ("csrf", csrf)])
            #expect(back.status == .seeOther)
            let location = try #require(back.headers[.location])
            #expect(location.hasPrefix("https://site.example.com/callback?"))
            let items = queryItems(location)
            #expect(items["error"] == "unmet_authentication_requirements" && items["state"] == "st-1" && items["iss"] == TestServer.issuer)
            #expect(try await browser.post("/login/abandon", form: [("tx", tx), ("csrf", csrf)]).status == .badRequest)
        }
    }
}

extension Browser {
    /// Posts JSON as the login pages' script does.
    func postJSON(_ uri: String, _ body: [String: Any]) async throws -> TestResponse {
        try await send(uri, method: .post, headers: [.contentType: "application/json"],
                       body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    }
}

extension HTTPField.Name {
    fileprivate static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
