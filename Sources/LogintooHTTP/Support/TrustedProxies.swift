import HTTPTypes
import LogintooCore

/// The proxies and load balancers the operator put in front of the server (`LOGINTOO_TRUSTED_PROXIES`), and who the
/// client is given them. Only a trusted peer's forwarding headers are read: from anyone else they are the client's own
/// words, and believing them would let a client choose its own rate-limit budget.
public struct TrustedProxies: Sendable, Equatable {
    public let networks: [IPNetwork]

    public init(_ networks: [IPNetwork]) { self.networks = networks }

    public static let none = TrustedProxies([])

    public func trusts(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }

    /// The client: the peer itself unless it is trusted; then the rightmost address of `X-Forwarded-For` (or, without
    /// it, of `Forwarded: for=`) that is not itself a trusted proxy. Each proxy appends the address it saw, so
    /// everything right of the client was written by proxies we trust, and everything left of it by the client.
    /// When every hop is trusted, the leftmost one is the client; an entry that is not an address ends the walk at the
    /// hop after it, so a mangled header gives no new budget.
    public func client(peer: IPAddress, headers: HTTPFields) -> IPAddress {
        guard trusts(peer) else { return peer }
        let hops = ForwardingHeaders.forwardedFor(headers)
        var client = peer
        for hop in hops.reversed() {
            guard let address = hop else { return client }
            client = address
            if !trusts(address) { return address }
        }
        return client
    }
}

/// Reads the chain of addresses proxies recorded in `X-Forwarded-For` or, without it, `Forwarded` (RFC 7239).
enum ForwardingHeaders {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwarded = HTTPField.Name("Forwarded")!

    /// The hops from the first (the original client) to the last; `nil` where an entry is not an address
    /// (`unknown`, an obfuscated name, garbage).
    static func forwardedFor(_ headers: HTTPFields) -> [IPAddress?] {
        let xff = headers[values: xForwardedFor]
        if !xff.isEmpty {
            return xff.flatMap { $0.split(separator: ",") }.map { address(in: $0.trimmingSpaces) }
        }
        return headers[values: forwarded].flatMap { $0.split(separator: ",") }.compactMap(forParameter)
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
