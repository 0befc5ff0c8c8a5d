import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("Hosted sign-in over HTTP")
struct SignInFlowTests {
    @Test("the whole flow: authorize, email, code, redirect with code, state and iss, tokens, userinfo, refresh")
    func wholeFlow() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let start = try await browser.get(server.authorizeURI(extra: [("login_hint", "Alice@Example.com")]))
            #expect(start.status == .seeOther)
            let emailPage = try await browser.get(try #require(start.headers[.location]))
            let html = Page(emailPage).html
            #expect(html.contains("type=\"email\" name=\"email\" autocomplete=\"username webauthn\""))
            #expect(html.contains("value=\"alice@example.com\""), "login_hint pre-fills the email")
            for header: HTTPField.Name in [.contentSecurityPolicy, .strictTransportSecurity, .xContentTypeOptions] {
                #expect(emailPage.headers[header] != nil)
            }
            #expect(emailPage.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(emailPage.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(emailPage.headers[.cacheControl] == "no-store")
            #expect(emailPage.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(emailPage.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] == "same-origin")
            let tx = try Page(emailPage).hidden("tx"), csrf = try Page(emailPage).hidden("csrf")
            let sent = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")])
            #expect(sent.status == .seeOther)
            let codePage = try await browser.get(try #require(sent.headers[.location]))
            #expect(Page(codePage).html.contains("autocomplete=\"one-time-code\" inputmode=\"numeric\""))
            let code = try #require(try await server.deliveredCode())
            let message = try #require(await server.mailer.messages.last)
            #expect(!message.subject.contains(code), "the code is never in the subject")
            #expect(message.text.contains("Static Site") && message.text.contains("ignore"))
            let done = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            #expect(done.status == .seeOther)
            let setCookies = done.headers[values: .setCookie]
            #expect(setCookies.contains { $0.hasPrefix("__Host-logintoo-session=") && $0.contains("HttpOnly") && $0.contains("Secure")
                && $0.contains("SameSite=Lax") && $0.contains("Path=/") && !$0.contains("Domain") })
            let location = try #require(done.headers[.location])
            #expect(location.hasPrefix("https://site.example.com/callback?"))
            let items = queryItems(location)
            #expect(items["state"] == "st-1" && items["iss"] == TestServer.issuer)

            let tokens = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", try #require(items["code"])),
                ("redirect_uri", "https://site.example.com/callback"), ("client_id", server.publicClient.id),
                ("code_verifier", TestServer.verifier),
            ])
            #expect(tokens.status == .ok)
            #expect(tokens.headers[.cacheControl] == "no-store")
            let body = try json(tokens)
            let access = try #require(body["access_token"] as? String)
            let info = try await client.execute(uri: "/userinfo", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(try json(info)["email"] as? String == "alice@example.com")
            let refreshed = try await browser.post("/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", try #require(body["refresh_token"] as? String)),
                ("client_id", server.publicClient.id),
            ])
            #expect(refreshed.status == .ok)
            #expect(try json(refreshed)["refresh_token"] as? String != body["refresh_token"] as? String)
        }
    }

    @Test("the answer to the email form is the same whether or not the address has an account, or is throttled")
    func noEnumeration() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = Browser(client)
            _ = try await first.signIn(server, email: "known@example.com")
            var answers: [String] = []
            for email in ["known@example.com", "unknown@example.com", "unknown@example.com"] {
                server.clock.advance(by: email == "known@example.com" ? 61 : 0)
                let browser = Browser(client)
                let start = try await browser.get(server.authorizeURI())
                let page = try await browser.get(try #require(start.headers[.location]))
                let tx = try Page(page).hidden("tx"), csrf = try Page(page).hidden("csrf")
                let sent = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", email)])
                let codePage = try await browser.get(try #require(sent.headers[.location]))
                // The confirmation number belongs to the sign-in, not to the address.
                let number = server.context.signIn.confirmationNumber(loginId: tx)
                let html = Page(codePage).html.replacingOccurrences(of: tx, with: "").replacingOccurrences(of: csrf, with: "")
                    .replacingOccurrences(of: email, with: "").replacingOccurrences(of: "enter \(number).", with: "")
                answers.append("\(sent.status.code) \(html)")
            }
            #expect(Set(answers).count == 1, "known, unknown and throttled (third) look the same")
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.filter { $0.to == "unknown@example.com" }.count == 1)
        }
    }

    @Test("forms without a valid CSRF token, or posted cross-site, change nothing")
    func csrf() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.beginLogin(server)
            let missing = try await browser.post("/login/email", form: [("tx", tx), ("email", "alice@example.com")])
            #expect(missing.status == .badRequest)
            let forged = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf + "x"), ("email", "alice@example.com")])
            #expect(forged.status == .badRequest)
            let crossSite = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")],
                                                   headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .badRequest)
            let foreignOrigin = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")],
                                                       headers: [.origin: "https://evil.example.com"])
            #expect(foreignOrigin.status == .badRequest)
            let foreignDespiteNull = try await browser.post(
                "/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")],
                headers: [.origin: "null", HTTPField.Name("Sec-Fetch-Site")!: "same-site"])
            #expect(foreignDespiteNull.status == .badRequest)
            let otherBrowser = Browser(client)
            let stolen = try await otherBrowser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")])
            #expect(stolen.status == .badRequest, "a login belongs to the browser that started it")
            #expect(try await server.store.pendingMessageCount() == 0)
            let sameOrigin = try await browser.post(
                "/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")],
                headers: [.origin: "null", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"])
            #expect(sameOrigin.status == .seeOther, "browsers send Origin: null under Referrer-Policy: no-referrer")
        }
    }

    @Test("wrong codes show an error tied to the field; the fifth burns the code")
    func wrongCodes() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.askForCode(server)
            let code = try #require(try await server.deliveredCode())
            let wrong = code == "00000000" ? "11111111" : "00000000"
            for _ in 0..<5 {
                let answer = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", wrong)])
                #expect(answer.status == .badRequest)
                #expect(Page(answer).html.contains("aria-describedby=\"code-error\""))
            }
            let late = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            #expect(late.status == .badRequest && late.headers[.location] == nil)
            #expect(Page(late).html.contains("expired or was replaced"))
        }
    }

    @Test("send a new code and use another email work without JavaScript")
    func resendAndRestart() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.askForCode(server)
            let first = try #require(try await server.deliveredCode())
            server.clock.advance(by: 61)
            let resent = try await browser.post("/login/resend", form: [("tx", tx), ("csrf", csrf)])
            #expect(resent.headers[.location]?.hasSuffix("&sent=1") == true)
            let second = try #require(try await server.deliveredCode())
            #expect(await server.mailer.messages.count == 2)
            let stale = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", first)])
            if first != second { #expect(stale.status == .badRequest) }
            let restarted = try await browser.post("/login/restart", form: [("tx", tx), ("csrf", csrf)])
            let emailAgain = try await browser.get(try #require(restarted.headers[.location]))
            #expect(Page(emailAgain).html.contains("name=\"email\""))
            let invalid = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "not-an-email")])
            #expect(invalid.status == .badRequest)
            #expect(Page(invalid).html.contains("aria-describedby=\"email-error\""))
        }
    }

    @Test("what a person types is escaped on the page, never run")
    func escaping() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.beginLogin(server)
            let hostile = "\"><script>alert(1)</script>"
            let answer = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", hostile)])
            #expect(answer.status == .badRequest)
            let html = Page(answer).html
            #expect(!html.contains("<script>alert(1)</script>"))
            #expect(html.contains("&lt;script&gt;"))

            // A quote and a combining mark make one Character, but the browser still ends the attribute at the quote.
            let combining = "\"\u{0338} autofocus onfocus=alert(1) x=\"\u{0338}@example.com"
            let second = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", combining)])
            let page = Page(second).html
            #expect(page.contains("&quot;\u{0338} autofocus onfocus=alert(1)"))
            #expect(!page.unicodeScalars.split(separator: "\u{0338}").dropLast().contains { $0.last == "\"" })
        }
    }

    @Test("a sign-in makes the browser known for a year; signed out, it still gets its own code after unknown browsers spent the address's quota")
    func knownBrowserGetsItsOwnCode() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.askForCode(server)
            let code = try #require(try await server.deliveredCode())
            let done = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
            #expect(done.status == .seeOther)
            let known = try #require(done.headers[values: .setCookie].first { $0.hasPrefix("__Host-logintoo-known=") })
            #expect(known.contains("HttpOnly") && known.contains("Secure") && known.contains("SameSite=Lax")
                && known.contains("Max-Age=31536000") && known.contains("Path=/") && !known.contains("Domain"))
            browser.setCookie("__Host-logintoo-session", nil)

            for _ in 0..<5 {
                server.clock.advance(by: 61)
                _ = try await Browser(client).askForCode(server)
            }
            try await server.worker.deliverDue()
            let before = await server.mailer.messages.count
            server.clock.advance(by: 61)
            _ = try await Browser(client).askForCode(server)
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.count == before, "unknown browsers have spent the address's five an hour")

            let (again, againCSRF) = try await browser.askForCode(server)
            let mine = try #require(try await server.deliveredCode())
            #expect(await server.mailer.messages.count == before + 1)
            let signedIn = try await browser.post("/login/code", form: [("tx", again), ("csrf", againCSRF), ("code", mine)])
            #expect(signedIn.status == .seeOther)
        }
    }
}
