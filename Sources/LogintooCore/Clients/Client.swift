import Foundation

/// A website or app registered by the operator to sign people in through this server.
public struct Client: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    /// SHA-256 of the secret; `nil` for a public client (a browser or native app), which must use PKCE.
    public var secretHash: String?
    public var redirectURIs: [String]
    public var postLogoutRedirectURIs: [String]
    public var settings: ClientSettings
    public var createdAt: Int64

    public init(
        id: String, name: String, secretHash: String?, redirectURIs: [String],
        postLogoutRedirectURIs: [String] = [], settings: ClientSettings = .init(), createdAt: Int64
    ) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.settings = settings
        self.createdAt = createdAt
    }

    public var isConfidential: Bool { secretHash != nil }

    /// Browser origins that may call the token and revocation endpoints: those of the registered redirect URIs.
    public var allowedOrigins: Set<String> {
        Set(redirectURIs.compactMap { RedirectURIPolicy.origin(of: $0) })
    }

    /// Whether `candidate` is one of the registered redirect URIs: exact match, except for the port of a loopback URI (RFC 8252 §7.3).
    public func accepts(redirectURI candidate: String) -> Bool {
        redirectURIs.contains { RedirectURIPolicy.matches(registered: $0, candidate: candidate) }
    }
}

/// Per-client overrides of the server's defaults; `nil` means the server default.
public struct ClientSettings: Sendable, Codable, Equatable {
    public var accessTokenLifetime: Int64?
    public var refreshIdleLifetime: Int64?
    public var refreshAbsoluteLifetime: Int64?
    public var codeDigits: Int?
    public var codeLifetime: Int64?

    public init(
        accessTokenLifetime: Int64? = nil, refreshIdleLifetime: Int64? = nil, refreshAbsoluteLifetime: Int64? = nil,
        codeDigits: Int? = nil, codeLifetime: Int64? = nil
    ) {
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshIdleLifetime = refreshIdleLifetime
        self.refreshAbsoluteLifetime = refreshAbsoluteLifetime
        self.codeDigits = codeDigits
        self.codeLifetime = codeLifetime
    }

    /// Checks the bounds SECURITY.md sets: codes of 6 to 10 digits living 5 to 30 minutes, positive lifetimes.
    public func validate() throws(ClientRegistrationError) {
        if let digits = codeDigits, !(6...10).contains(digits) {
            throw .invalidSetting("code digits must be between 6 and 10")
        }
        if let life = codeLifetime, !(300...1800).contains(life) {
            throw .invalidSetting("code lifetime must be between 300 and 1800 seconds")
        }
        for (name, value) in [("access token", accessTokenLifetime), ("refresh idle", refreshIdleLifetime),
                              ("refresh absolute", refreshAbsoluteLifetime)] {
            if let value, value <= 0 { throw .invalidSetting("\(name) lifetime must be positive") }
        }
    }
}
