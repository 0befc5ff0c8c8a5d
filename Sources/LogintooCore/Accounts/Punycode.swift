/// RFC 3492 Punycode, the encoding of a domain label's Unicode code points into the letters, digits and hyphens DNS
/// and mail relays carry (the part after `xn--`).
enum Punycode {
    static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 0x80
    /// RFC 3492 §6.4: arithmetic beyond this is an overflow, and the input is refused rather than wrapped.
    static let maxInt = Int(Int32.max)

    /// The Punycode form of `input`; `nil` only on arithmetic overflow (an input far longer than any label).
    static func encode(_ input: [Unicode.Scalar]) -> String? {
        let codePoints = input.map { Int($0.value) }
        var output = input.filter(\.isASCII).map(Character.init)
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        while handled < codePoints.count {
            guard let next = codePoints.filter({ $0 >= n }).min() else { return nil }
            guard (next - n) <= (maxInt - delta) / (handled + 1) else { return nil }
            delta += (next - n) * (handled + 1)
            n = next
            for codePoint in codePoints {
                if codePoint < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                guard codePoint == n else { continue }
                output += digits(of: delta, bias: bias)
                bias = adapt(delta: delta, count: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    /// The code points `input` encodes; `nil` when it is not valid Punycode (a bad digit, a non-ASCII basic code point,
    /// overflow, or a result outside Unicode).
    static func decode(_ input: String) -> [Unicode.Scalar]? {
        let scalars = Array(input.unicodeScalars)
        let delimiter = scalars.lastIndex(of: "-")
        var output: [Int] = []
        if let delimiter {
            for scalar in scalars[..<delimiter] {
                guard scalar.isASCII else { return nil }
                output.append(Int(scalar.value))
            }
        }
        var n = initialN, i = 0, bias = initialBias
        var position = delimiter.map { $0 + 1 } ?? 0
        while position < scalars.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard position < scalars.count, let digit = digitValue(scalars[position]) else { return nil }
                position += 1
                guard digit <= (maxInt - i) / weight else { return nil }
                i += digit * weight
                let t = threshold(k, bias: bias)
                if digit < t { break }
                guard weight <= maxInt / (base - t) else { return nil }
                weight *= base - t
                k += base
            }
            bias = adapt(delta: i - oldI, count: output.count + 1, first: oldI == 0)
            guard i / (output.count + 1) <= maxInt - n else { return nil }
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF else { return nil }
            output.insert(n, at: i)
            i += 1
        }
        let decoded = output.compactMap { Unicode.Scalar(UInt32($0)) }
        return decoded.count == output.count ? decoded : nil
    }

    /// The generalized variable-length integer of `delta` (RFC 3492 §3.3), as digit characters.
    static func digits(of delta: Int, bias: Int) -> [Character] {
        var result: [Character] = []
        var q = delta
        var k = base
        while true {
            let t = threshold(k, bias: bias)
            if q < t { break }
            result.append(digitCharacter(t + (q - t) % (base - t)))
            q = (q - t) / (base - t)
            k += base
        }
        result.append(digitCharacter(q))
        return result
    }

    static func threshold(_ k: Int, bias: Int) -> Int { min(max(k - bias, tMin), tMax) }

    /// RFC 3492 §6.1.
    static func adapt(delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    static func digitCharacter(_ value: Int) -> Character {
        Character(Unicode.Scalar(UInt8(value < 26 ? value + 0x61 : value - 26 + 0x30)))
    }

    /// A digit's value; upper- and lower-case letters are the same digit (RFC 3492 §5).
    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: Int(scalar.value) - 0x30 + 26
        case 0x41...0x5A: Int(scalar.value) - 0x41
        case 0x61...0x7A: Int(scalar.value) - 0x61
        default: nil
        }
    }
}
