import Foundation

extension Array where Element == UInt8 {
    /// Bytes from hex text; whitespace (the line breaks of recorded fixtures) is skipped.
    init(hex: String) {
        let digits = hex.filter { !$0.isWhitespace }.map(String.init)
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            if let byte = UInt8(digits[index] + digits[index + 1], radix: 16) { bytes.append(byte) }
            index += 2
        }
        precondition(bytes.count * 2 == digits.count, "not hex: \(hex.prefix(40))")
        self = bytes
    }

    /// Unpadded base64url, as browsers write challenges into client data.
    var base64URL: String {
        Data(self).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
