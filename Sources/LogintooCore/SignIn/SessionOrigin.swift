/// Where a session was made, as the account page shows it so that a person can recognise their own sessions: the
/// browser, coarsely (`BrowserDescription`), and the network as an address prefix, a /24 of IPv4 or a /48 of IPv6. The
/// full address is never kept: the prefix names a neighbourhood of a network, not a household.
public struct SessionOrigin: Sendable, Equatable {
    /// "Firefox (Linux)", or `nil` when the browser is not recognised.
    public var browser: String?
    /// "192.0.2.0/24", "2001:db8:1::/48", or `nil` when the client's address is not known.
    public var network: String?

    public init(browser: String?, network: String?) {
        (self.browser, self.network) = (browser, network)
    }

    /// The origin of a request from `userAgent` at `clientAddress` (text that is not an address has no network).
    public init(userAgent: String?, clientAddress: String) {
        self.init(browser: BrowserDescription.coarse(userAgent), network: Self.network(of: clientAddress))
    }

    /// A session made where nothing is known of the browser, as through the Logintoo JSON API.
    public static let unknown = SessionOrigin(browser: nil, network: nil)

    /// The prefix lengths kept: an IPv4 /24 and an IPv6 /48 are a provider's site or neighbourhood, not one person.
    public static let ipv4PrefixLength = 24
    public static let ipv6PrefixLength = 48

    static func network(of clientAddress: String) -> String? {
        guard let address = IPAddress(clientAddress) else { return nil }
        return IPNetwork(address: address, prefixLength: address.isIPv6 ? ipv6PrefixLength : ipv4PrefixLength).description
    }
}
