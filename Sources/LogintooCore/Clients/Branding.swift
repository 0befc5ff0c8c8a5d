/// The operator's server-wide branding (`LOGINTOO_PRODUCT_NAME`, `LOGINTOO_LOGO_URL`, `LOGINTOO_ACCENT_COLOR`,
/// `LOGINTOO_PRIVACY_URL`, `LOGINTOO_TERMS_URL`): what the pages and emails show where a client sets none. Every value
/// is checked at startup by the rules a client's own branding follows (`ClientSettings.validate`).
public struct ServerBranding: Sendable, Equatable {
    /// Shown instead of the server's host name where the server names itself.
    public var productName: String?
    public var logoURL: String?
    /// `#RRGGBB` that white text reaches 4.5:1 on.
    public var accentColor: String?
    public var privacyURL: String?
    public var termsURL: String?

    public init(productName: String? = nil, logoURL: String? = nil, accentColor: String? = nil, privacyURL: String? = nil,
                termsURL: String? = nil) {
        (self.productName, self.logoURL, self.accentColor) = (productName, logoURL, accentColor)
        (self.privacyURL, self.termsURL) = (privacyURL, termsURL)
    }

    /// The branding a page or email of `client` shows: each of the client's values, else the server's. Values that fail
    /// the rules (a record written before a rule existed) are dropped, so nothing unchecked reaches a page or stylesheet.
    public func resolved(for client: Client?) -> Brand {
        let settings = client?.settings
        return Brand(
            name: client?.name ?? productName,
            logoURL: [settings?.logoURL, logoURL].lazy.compactMap { $0 }.first(where: ClientSettings.isSafeImageURL),
            accentColor: [settings?.accentColor, accentColor].lazy.compactMap { $0 }.first(where: ClientSettings.isColour),
            privacyURL: [settings?.privacyURL, privacyURL].lazy.compactMap { $0 }.first(where: ClientSettings.isSafeLinkURL),
            termsURL: [settings?.termsURL, termsURL].lazy.compactMap { $0 }.first(where: ClientSettings.isSafeLinkURL),
            accentIsClients: settings?.accentColor.map(ClientSettings.isColour) ?? false)
    }
}

/// The branding one page or email shows, every value already checked.
public struct Brand: Sendable, Equatable {
    /// The client's name, or the product name: the logo's alternative text.
    public let name: String?
    public let logoURL: String?
    public let accentColor: String?
    public let privacyURL: String?
    public let termsURL: String?
    /// Whether the accent is the client's own (its stylesheet is then the client's), not the server's.
    public let accentIsClients: Bool

    /// The logo's origin (`https://host[:port]`), which the page's Content-Security-Policy lets images load from.
    public var logoOrigin: String? { logoURL.flatMap(RedirectURIPolicy.origin(of:)) }
}

/// The accent's colours for the pages: as buttons' background (white text on it, guaranteed by validation), and as text
/// on the light and the dark background.
public enum AccentPalette {
    /// The background the built-in stylesheet's dark mode draws on (the browsers' dark `Canvas`).
    public static let darkBackground = "#121212"

    /// `accent` mixed towards white, in steps of 5%, until it reaches 4.5:1 against the dark background: an accent dark
    /// enough to carry white text is usually too dark to read on a dark page. White itself reaches 18:1.
    public static func textOnDark(_ accent: String) -> String {
        guard let channels = channels(accent) else { return "#ffffff" }
        for step in 0...20 {
            let share = Double(step) / 20
            let mixed = hex(channels.map { $0 + (255 - $0) * share })
            if (ColourContrast.ratio(mixed, darkBackground) ?? 0) >= ColourContrast.minimumForText { return mixed }
        }
        return "#ffffff"
    }

    static func channels(_ colour: String) -> [Double]? {
        guard colour.utf8.count == 7, colour.hasPrefix("#"), let value = UInt32(colour.dropFirst(), radix: 16) else { return nil }
        return [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map(Double.init)
    }

    static func hex(_ channels: [Double]) -> String {
        "#" + channels.map { channel in
            let byte = String(Int(channel.rounded().clamped(0, 255)), radix: 16)
            return byte.count == 1 ? "0" + byte : byte
        }.joined()
    }
}

extension Double {
    fileprivate func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
