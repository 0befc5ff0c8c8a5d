/// The relying party a ceremony is for: its RP ID and the page origins allowed to run ceremonies for it.
public struct RelyingParty: Sendable, Equatable {
    /// The RP ID: the issuer's host, or a registrable parent domain of it.
    public var id: String
    /// Origins such as `https://login.example.com`, compared exactly.
    public var origins: [String]

    public init(id: String, origins: [String]) {
        self.id = id
        self.origins = origins
    }

    /// This relying party, also answering ceremonies run on `pages`: of those origins, only the secure ones (`https`, or
    /// `http` on a loopback host) whose host is the RP ID or lies under it, since a browser runs a ceremony for an RP ID
    /// only on such a page (WebAuthn §5.1.3 step 8).
    public func alsoOn(pages: some Sequence<String>) -> RelyingParty {
        let added = pages.filter { page in
            guard !origins.contains(page), let host = Self.host(ofOrigin: page), host == id || host.hasSuffix("." + id) else {
                return false
            }
            return page.hasPrefix("https://") || (page.hasPrefix("http://") && (host == "localhost" || host == "127.0.0.1"))
        }
        return RelyingParty(id: id, origins: origins + added.sorted())
    }

    /// The host of an origin `scheme://host[:port]` as browsers serialize it; `nil` for anything else.
    static func host(ofOrigin origin: String) -> String? {
        guard let separator = origin.range(of: "://") else { return nil }
        let authority = origin[separator.upperBound...]
        guard !authority.isEmpty, !authority.contains("/"), !authority.contains("@"), !authority.hasPrefix("[") else { return nil }
        let host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return host.isEmpty || host != host.lowercased() ? nil : String(host)
    }
}
