import HTTPTypes
import LogintooCore

/// The proxies and load balancers the operator put in front of the server (`LOGINTOO_TRUSTED_PROXIES`), the one header
/// they write the client's address in (`LOGINTOO_FORWARDED_HEADER`), and who the client is given them. Only a trusted
/// peer's header is read: from anyone else it is the client's own words, and believing them would let a client choose
/// its own rate-limit budget. The other header is never read, since a proxy passes through the one it does not write.
public struct TrustedProxies: Sendable, Equatable {
    /// Where the proxies record the addresses they forward for.
    public enum Header: String, Sendable, CaseIterable {
        case xForwardedFor = "X-Forwarded-For"
        /// RFC 7239: `Forwarded: for=…`.
        case forwarded = "Forwarded"
    }

    public let networks: [IPNetwork]
    public let header: Header

    public init(_ networks: [IPNetwork], header: Header = .xForwardedFor) { (self.networks, self.header) = (networks, header) }

    public static let none = TrustedProxies([])

    /// The most hops read from the right of the header; a real chain of proxies is a handful.
    static let maxHops = 30

    public func trusts(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }

    /// The client: the peer itself unless it is trusted; then the rightmost address of the header that is not itself a
    /// trusted proxy. Each proxy appends the address it saw, so everything right of the client was written by proxies
    /// we trust, and everything left of it by the client. When every hop read is trusted, the last one read is the
    /// client; an entry that is not an address ends the walk at the hop after it, so a mangled header gives no new
    /// budget.
    public func client(peer: IPAddress, headers: HTTPFields) -> IPAddress {
        guard trusts(peer) else { return peer }
        var client = peer
        for hop in ForwardingHeaders.hopsFromTheRight(header, in: headers).prefix(Self.maxHops) {
            guard let address = hop else { return client }
            client = address
            if !trusts(address) { return address }
        }
        return client
    }
}

/// Reads the chain of addresses proxies recorded in `X-Forwarded-For` or `Forwarded` (RFC 7239), last hop first.
enum ForwardingHeaders {
    /// The hops from the last (the proxy nearest us saw it) towards the first, read lazily; `nil` where an entry is not
    /// an address (`unknown`, an obfuscated name, garbage).
    static func hopsFromTheRight(_ header: TrustedProxies.Header, in headers: HTTPFields) -> some Sequence<IPAddress?> {
        let values = headers[values: HTTPField.Name(header.rawValue)!]
        let entries = values.reversed().lazy.flatMap { $0.split(separator: ",").reversed() }
        return entries.compactMap { entry -> IPAddress?? in
            switch header {
            case .xForwardedFor: .some(address(in: entry.trimmingSpaces))
            case .forwarded: forParameter(entry)
            }
        }
    }

    /// The `for=` value of one `Forwarded` element; `nil` for an element without one.
    private static func forParameter(_ element: Substring) -> IPAddress?? {
        for pair in element.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingSpaces.lowercased() == "for" else { continue }
            var value = parts[1].trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            return .some(address(in: value))
        }
        return nil
    }

    /// An address, with or without a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
    static func address(in text: Substring) -> IPAddress? {
        if let address = IPAddress(text) { return address }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return IPAddress(text[text.index(after: text.startIndex)..<close])
        }
        if let colon = text.firstIndex(of: ":"), text.filter({ $0 == ":" }).count == 1 { return IPAddress(text[..<colon]) }
        return nil
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
