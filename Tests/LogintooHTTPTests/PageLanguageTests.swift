import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("Pages in the person's language")
struct PageLanguageTests {
    @Test("the login pages speak Accept-Language, and ui_locales before it; errors too", arguments: [
        (nil, "de-CH,de;q=0.9,en;q=0.5", "de"), ("fr", "de", "fr"), ("zh-CN", nil, "zh-Hans"), (nil, "ko", "en"),
    ] as [(String?, String?, String)])
    func language(uiLocales: String?, acceptLanguage: String?, expected: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            var headers: HTTPFields = [:]
            if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
            let extra = uiLocales.map { [("ui_locales", $0)] } ?? []
            let start = try await browser.get(server.authorizeURI(extra: extra), headers: headers)
            let page = try await browser.get(try #require(start.headers[.location]), headers: headers)
            let words = Words(expected)
            let html = String(buffer: page.body)
            #expect(html.contains("<html lang=\"\(expected)\">"))
            #expect(html.contains(words["page.email.intro"]) && html.contains(words["page.email.submit"]))
            let (tx, csrf) = (try Page(page).hidden("tx"), try Page(page).hidden("csrf"))
            let invalid = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "not-an-address")],
                                                 headers: headers)
            #expect(String(buffer: invalid.body).contains(words["page.email.error.invalid"]))
            let missing = try await browser.get("/login?tx=nothing", headers: headers)
            #expect(String(buffer: missing.body).contains(Words(acceptLanguage.map { Translations.choose(uiLocales: nil, acceptLanguage: $0) } ?? "en")["page.expired.title"]))
        }
    }
}
