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
            "http://pages.login.example.com", "myapp://pages.login.example.com",
        ])
        #expect(widened.id == party.id)
        #expect(widened.origins == ["https://login.example.com", "https://login.example.com:8443", "https://pages.login.example.com"])
    }

    @Test("plain http is a page only on a loopback host")
    func loopback() {
        let local = RelyingParty(id: "127.0.0.1", origins: ["http://127.0.0.1:8080"])
        #expect(local.alsoOn(pages: ["http://127.0.0.1:5000", "ftp://127.0.0.1:21"]).origins
                == ["http://127.0.0.1:8080", "http://127.0.0.1:5000"])
    }
}
