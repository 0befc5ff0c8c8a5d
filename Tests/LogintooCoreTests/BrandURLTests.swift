import LogintooCore
import Testing

/// A logo's or link's address becomes part of the pages' Content-Security-Policy (the logo's origin) and of their
/// markup: only a plain https host passes (docs/security.md B19).
@Suite("Brand addresses")
struct BrandURLTests {
    @Test("a host with encoded or unusual characters is refused, so no policy directive can ride on it")
    func plainHostsOnly() {
        for url in ["https://x.example%3B%20frame-ancestors%20*%3B/logo.png", "https://%2a/x.png", "https://x.example%00/a.png",
                    "https://ex ample.com/a.png", "http://example.com/a.png", "https:///a.png", "javascript:alert(1)"] {
            #expect(!ClientSettings.isSafeImageURL(url), "\(url)")
            #expect(throws: ClientRegistrationError.self) { try ClientSettings(logoURL: url).validate() }
        }
        for url in ["https://cdn.example.com/logo.png", "https://cdn-1.example.com:8443/a/b.svg?v=2"] {
            #expect(ClientSettings.isSafeImageURL(url), "\(url)")
        }
    }
}
