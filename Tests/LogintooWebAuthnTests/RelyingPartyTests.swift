import LogintooWebAuthn
import Testing

@Suite("Which client pages a relying party answers")
struct RelyingPartyTests {
    let party = RelyingParty(id: "login.example.com", origins: ["https://login.example.com"])

    @Test("a page on the RP ID's host or under it is added; any other page is not")
    func pagesUnderTheRPID() {
        let widened = party.alsoOn(pages: [
            "https://pages.login.example.com", "https://login.example.com:8443", "https://evil-login.example.com",
            "https://notlogin.example.com", "https://example.com", "https://login.example.com.evil.example",
            "https://Pages.login.example.com", "https://pages.login.example.com/path", "https://user@pages.login.example.com",
            "https://[::1]", "pages.login.example.com", "https://", "https://login.example.com",
        ])
        #expect(widened.id == party.id)
        #expect(widened.origins == ["https://login.example.com", "https://login.example.com:8443", "https://pages.login.example.com"])
    }
}
