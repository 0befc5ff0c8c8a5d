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
}
