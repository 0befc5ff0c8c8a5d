import Foundation

/// WCAG 2.2 contrast (§1.4.3): the relative luminance of sRGB colours written `#RRGGBB`, and the ratio between two.
public enum ColourContrast {
    /// Text must reach this against its background (AA, normal text).
    public static let minimumForText = 4.5

    /// The relative luminance of `#RRGGBB`; `nil` for anything else.
    public static func luminance(_ colour: String) -> Double? {
        guard colour.utf8.count == 7, colour.hasPrefix("#"), let value = UInt32(colour.dropFirst(), radix: 16) else { return nil }
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { channel -> Double in
            let c = Double(channel) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }

    /// The contrast ratio of two colours, 1 to 21; `nil` when either is not `#RRGGBB`.
    public static func ratio(_ first: String, _ second: String) -> Double? {
        guard let a = luminance(first), let b = luminance(second) else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
