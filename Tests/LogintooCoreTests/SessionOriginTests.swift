import LogintooCore
import Testing

/// Where a session was made, as the account page shows it (docs/security.md N90): a coarse browser and an address
/// prefix, never the full address.
@Suite("Session origin")
struct SessionOriginTests {
    @Test("an IPv4 address is kept as its /24, an IPv6 address as its /48, an IPv4-mapped one as IPv4")
    func prefixes() {
        #expect(SessionOrigin(userAgent: nil, clientAddress: "198.51.100.23").network == "198.51.100.0/24")
        #expect(SessionOrigin(userAgent: nil, clientAddress: "2001:db8:1234:5678::9").network == "2001:db8:1234::/48")
        #expect(SessionOrigin(userAgent: nil, clientAddress: "::ffff:192.0.2.200").network == "192.0.2.0/24")
    }

    @Test("what is not known stays unknown: no address, an unrecognised browser")
    func unknown() {
        let origin = SessionOrigin(userAgent: "curl/8.5.0", clientAddress: "unknown")
        #expect(origin == .unknown)
        #expect(SessionOrigin(userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                              clientAddress: "unknown").browser == "Firefox (Linux)")
    }
}
