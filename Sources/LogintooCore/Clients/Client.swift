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

    /// Whether the client may ask for the `admin` scope (`client_credentials`, the admin API): a confidential client the
    /// operator made an admin client. Taking the setting away cuts its admin tokens off at once (`AdminAccess`).
    public var isAdmin: Bool { isConfidential && settings.admin == true }

    /// Whether the client is registered for the API `resource` (RFC 8707), compared exactly.
    public func isRegistered(resource: String) -> Bool {
        settings.resources?.contains(resource) ?? false
    }
}

/// Per-client overrides of the server's defaults and the client's branding; `nil` means the server default.
public struct ClientSettings: Sendable, Codable, Equatable {
    public var accessTokenLifetime: Int64?
    public var refreshIdleLifetime: Int64?
    public var refreshAbsoluteLifetime: Int64?
    /// `false`: a refresh family ends `refreshIdleLifetime` after it began, however often it rotates.
    public var refreshSliding: Bool?
    public var codeDigits: Int?
    public var codeLifetime: Int64?
    public var codeMaxAttempts: Int?
    /// The `aud` of the client's access tokens (its API); the client id when unset.
    public var tokenAudience: String?
    /// The Reply-To of the client's sign-in emails.
    public var replyTo: String?
    public var emailSubject: String?
    public var logoURL: String?
    /// The APIs (RFC 8707 resource indicators) this client may ask access tokens for.
    public var resources: [String]?
    /// The colour of the email's accents, `#RRGGBB`.
    public var accentColor: String?
    /// The display name of the sign-in emails' sender.
    public var senderName: String?
    /// `true`: a confidential client may get admin API tokens by `client_credentials` with the scope `admin`.
    public var admin: Bool?
    /// The client's privacy policy, linked in the footer of its login pages and emails (https).
    public var privacyURL: String?
    /// The client's terms of use, linked in the footer of its login pages and emails (https).
    public var termsURL: String?
    /// `true`: the client's authorization requests must be pushed to `/par` first (RFC 9126 §6); the server's setting when unset.
    public var requirePushedAuthorizationRequests: Bool?
    /// `true`: the client's access tokens are DPoP-bound (RFC 9449 §5.2's `dpop_bound_access_tokens`); a token request
    /// without a proof is refused. The server's setting (`Policy.dpopRequired`) when unset.
    public var dpopBoundAccessTokens: Bool?
    /// Where the client takes logout tokens when a session it was part of ends (OpenID Connect Back-Channel Logout 1.0
    /// §2.2): https, or http on a loopback host; no fragment.
    public var backchannelLogoutURI: String?
    /// `true`: the client's logout tokens must carry `sid` (§2.2's `backchannel_logout_session_required`). Logintoo puts
    /// `sid` in every logout token, so this only records what the client asked for.
    public var backchannelLogoutSessionRequired: Bool?

    public init(
        accessTokenLifetime: Int64? = nil, refreshIdleLifetime: Int64? = nil, refreshAbsoluteLifetime: Int64? = nil,
        refreshSliding: Bool? = nil, codeDigits: Int? = nil, codeLifetime: Int64? = nil, codeMaxAttempts: Int? = nil,
        tokenAudience: String? = nil, replyTo: String? = nil, emailSubject: String? = nil, logoURL: String? = nil,
        resources: [String]? = nil, accentColor: String? = nil, senderName: String? = nil, admin: Bool? = nil,
        privacyURL: String? = nil, termsURL: String? = nil, requirePushedAuthorizationRequests: Bool? = nil
    ) {
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshIdleLifetime = refreshIdleLifetime
        self.refreshAbsoluteLifetime = refreshAbsoluteLifetime
        self.refreshSliding = refreshSliding
        self.codeDigits = codeDigits
        self.codeLifetime = codeLifetime
        self.codeMaxAttempts = codeMaxAttempts
        self.tokenAudience = tokenAudience
        self.replyTo = replyTo
        self.emailSubject = emailSubject
        self.logoURL = logoURL
        self.resources = resources
        self.accentColor = accentColor
        self.senderName = senderName
        self.admin = admin
        self.privacyURL = privacyURL
        self.termsURL = termsURL
        self.requirePushedAuthorizationRequests = requirePushedAuthorizationRequests
    }

    /// Checks the bounds docs/security.md sets: codes of 6 to 10 digits living 5 to 30 minutes, at most 10 attempts,
    /// positive lifetimes; and that branding cannot inject email headers or unsafe links.
    public func validate() throws(ClientRegistrationError) {
        if let digits = codeDigits, !(6...10).contains(digits) {
            throw .invalidSetting("code digits must be between 6 and 10")
        }
        if let life = codeLifetime, !(300...1800).contains(life) {
            throw .invalidSetting("code lifetime must be between 300 and 1800 seconds")
        }
        if let attempts = codeMaxAttempts, !(1...10).contains(attempts) {
            throw .invalidSetting("code attempts must be between 1 and 10")
        }
        for (name, value) in [("access token", accessTokenLifetime), ("refresh idle", refreshIdleLifetime),
                              ("refresh absolute", refreshAbsoluteLifetime)] {
            if let value, value <= 0 { throw .invalidSetting("\(name) lifetime must be positive") }
        }
        if let audience = tokenAudience, !Self.isAudience(audience) {
            throw .invalidSetting("the token audience must be 1 to 512 characters on one line")
        }
        if let replyTo, EmailAddress(replyTo) == nil { throw .invalidSetting("the Reply-To must be an email address") }
        if let subject = emailSubject, !Self.isSubject(subject) {
            throw .invalidSetting("the email subject must be 1 to 200 characters on one line")
        }
        if let logo = logoURL, !Self.isSafeImageURL(logo) {
            throw .invalidSetting("the logo must be an https:// URL of at most 2048 characters")
        }
        for (name, link) in [("privacy", privacyURL), ("terms", termsURL)] {
            if let link, !Self.isSafeLinkURL(link) {
                throw .invalidSetting("the \(name) link must be an https:// URL of at most 2048 characters")
            }
        }
        if let colour = accentColor, !Self.isColour(colour) {
            throw .invalidSetting("the accent colour must look like #2457d6 and carry white text at 4.5:1 or more (WCAG AA)")
        }
        if let name = senderName, !Self.isSenderName(name) {
            throw .invalidSetting("the sender name must be 1 to 64 characters on one line, without quotes, <, > or @")
        }
        if let uri = backchannelLogoutURI, !Self.isBackchannelLogoutURI(uri) {
            throw .invalidSetting("the back-channel logout URI must be an https:// URL (http:// only on 127.0.0.1 or [::1]) without a fragment")
        }
        for resource in resources ?? [] where !Self.isResourceIndicator(resource) {
            throw .invalidSetting("resource \(resource) must be an absolute URI without a fragment, at most 512 characters")
        }
    }

    /// OpenID Connect Back-Channel Logout 1.0 §2.2: the rules of a redirect URI (https, or http on a loopback address; no
    /// fragment, user info or wildcard), which keep a logout token off the open network.
    public static func isBackchannelLogoutURI(_ text: String) -> Bool {
        (try? RedirectURIPolicy.validateForRegistration(text)) != nil
    }

    /// RFC 8707 §2: an absolute URI with no fragment.
    public static func isResourceIndicator(_ text: String) -> Bool {
        guard text.utf8.count <= 512, !text.contains("#"), !text.contains(where: \.isWhitespace),
              let url = URL(string: text), url.scheme != nil, url.host?.isEmpty == false
        else { return false }
        return true
    }

    static func isAudience(_ text: String) -> Bool {
        (1...512).contains(text.utf8.count) && !text.contains(where: \.isNewline)
    }

    /// One line, so a subject can never add an email header.
    static func isSubject(_ text: String) -> Bool {
        (1...200).contains(text.count) && !text.contains(where: \.isNewline)
    }

    /// `#RRGGBB`, nothing that could leave a style attribute, dark enough for white text on it, and for it as text on white (both at least 4.5:1): how the emails
    /// use the accent.
    public static func isColour(_ text: String) -> Bool {
        text.utf8.count == 7 && text.hasPrefix("#") && text.dropFirst().allSatisfy(\.isHexDigit)
            && (ColourContrast.ratio(text, "#ffffff") ?? 0) >= ColourContrast.minimumForText
    }

    /// A display name that cannot break out of a `From` header or pose as an address.
    static func isSenderName(_ text: String) -> Bool {
        (1...64).contains(text.count) && !text.contains(where: { $0.isNewline || "\"<>@\\".contains($0) })
    }

    /// An https URL that cannot leave an HTML attribute: a logo's address.
    public static func isSafeImageURL(_ text: String) -> Bool {
        guard text.utf8.count <= 2048, let url = URL(string: text), url.scheme == "https", let host = url.host, isPlainHost(host)
        else { return false }
        return !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
    }

    /// A host of letters, digits, dots and hyphens only, as it is written: nothing percent-encoded, so that the origin
    /// built from it (a logo's, in the pages' Content-Security-Policy) cannot carry anything else.
    static func isPlainHost(_ host: String) -> Bool {
        !host.isEmpty && host.utf8.count <= 253
            && host.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "-") }
    }

    /// A privacy or terms link: the same rules as a logo's address.
    public static func isSafeLinkURL(_ text: String) -> Bool { isSafeImageURL(text) }
}
