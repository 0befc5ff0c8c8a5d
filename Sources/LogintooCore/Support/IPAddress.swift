#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, read from its text form. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, as a dual-stack
/// socket reports an IPv4 peer) is the IPv4 address, so one client has one address whichever socket it came through.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Four bytes for IPv4, sixteen for IPv6.
    public let bytes: [UInt8]

    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.utf8.count <= 45, !text.contains("%") else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        bytes = all[0..<12].elementsEqual(Self.mappedPrefix) ? Array(all[12...]) : all
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv6: Bool { bytes.count == 16 }

    /// The canonical text form (RFC 5952 for IPv6).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv6 ? AF_INET6 : AF_INET
        let written = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The first `length` bits of this address, the rest zero.
    public func masked(to length: Int) -> IPAddress {
        IPAddress(bytes: bytes.enumerated().map { index, byte in
            let bitsKept = min(max(length - index * 8, 0), 8)
            return bitsKept == 8 ? byte : byte & ~(0xFF >> UInt8(bitsKept))
        })
    }

    private static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
}

/// A range of addresses in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a single address is a range of one.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...bits).contains(given), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = given
        }
        self.init(address: address, prefixLength: length)
    }

    public init(address: IPAddress, prefixLength: Int) {
        self.address = address.masked(to: prefixLength)
        self.prefixLength = prefixLength
    }

    public func contains(_ other: IPAddress) -> Bool {
        other.bytes.count == address.bytes.count && other.masked(to: prefixLength) == address
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

extension IPAddress {
    /// Whether this address is the machine's own: 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        isIPv6 ? bytes == Array(repeating: 0, count: 15) + [1] : bytes[0] == 127
    }

    /// Whether `host` (a name, or an address with or without IPv6 brackets) names this machine only: `localhost`,
    /// 127.0.0.0/8 or ::1. Traffic to it never crosses a network.
    public static func isLoopback(host: String) -> Bool {
        host.lowercased() == "localhost" || IPAddress(host)?.isLoopback == true
    }

    /// Whether this address is link-local: 169.254.0.0/16 (an IPv4-mapped one is read as IPv4) or fe80::/10, where
    /// clouds answer with instance credentials.
    public var isLinkLocal: Bool {
        isIPv6 ? bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 : bytes[0] == 169 && bytes[1] == 254
    }

    /// Whether `host` is a link-local address (`IPAddress(host:)`). A name is not: where it points is its DNS.
    public static func isLinkLocal(host: String) -> Bool {
        IPAddress(host: host)?.isLinkLocal == true
    }

    /// `host` as a URL or a socket writes it: an address with or without IPv6 brackets, and with or without a zone
    /// (`%eth0`, or `%25eth0` in a URL), which only scoped addresses carry; nil for a name.
    public init?(host: String) {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? host.dropFirst().dropLast() : Substring(host)
        self.init(bare.prefix { $0 != "%" })
    }

    /// 0.0.0.0/8 ("this network", RFC 1122 §3.2.1.3) or `::`: never a destination, and connecting to 0.0.0.0 reaches
    /// this machine.
    public var isUnspecified: Bool {
        isIPv6 ? bytes.allSatisfy { $0 == 0 } : bytes[0] == 0
    }

    /// The IPv4 address an IPv6 address carries in its last 32 bits through a translation prefix: NAT64's well-known
    /// 64:ff9b::/96 (RFC 6052), SIIT's ::ffff:0:0/96 (RFC 2765) and the deprecated IPv4-compatible ::/96 (RFC 4291
    /// §2.5.5.1; not `::` or `::1`). A gateway or a host may deliver such an address to the IPv4 one.
    public var translatedIPv4: IPAddress? {
        guard isIPv6 else { return nil }
        let head = bytes[0..<12], tail = Array(bytes[12...])
        let compatible = head.allSatisfy { $0 == 0 } && tail != [0, 0, 0, 0] && tail != [0, 0, 0, 1]
        guard compatible || head.elementsEqual(Self.nat64Prefix) || head.elementsEqual(Self.siitPrefix) else { return nil }
        return IPAddress(bytes: tail)
    }

    private static let nat64Prefix: [UInt8] = [0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
    private static let siitPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0]
}
