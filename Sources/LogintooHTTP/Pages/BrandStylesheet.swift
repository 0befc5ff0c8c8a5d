import LogintooCore

/// The accent colour as a stylesheet served from this server (`/assets/brand.css`), so the pages' Content-Security-Policy
/// keeps `style-src 'self'`: the accent for buttons and focus rings, as text on the light background, and a lighter
/// variant as text on the dark one, each at least 4.5:1 (`AccentPalette`).
enum BrandStylesheet {
    /// The rules for `accent`; empty for anything that is not a checked `#RRGGBB` accent, so only validated values reach it.
    static func css(accent: String?) -> String {
        guard let accent, ClientSettings.isColour(accent) else { return "" }
        return """
            :root { --accent: \(accent); --accent-text: \(accent); }
            @media (prefers-color-scheme: dark) { :root { --accent-text: \(AccentPalette.textOnDark(accent)); } }

            """
    }
}
