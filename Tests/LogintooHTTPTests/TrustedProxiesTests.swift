import HTTPTypes
import LogintooCore
import LogintooHTTP
import Testing

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    static let networks = [IPNetwork("10.0.0.0/8")!, IPNetwork("fd00::/8")!]

    func client(peer: String, _ fields: [(String, String)], header: TrustedProxies.Header = .xForwardedFor) -> String {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return TrustedProxies(Self.networks, header: header).client(peer: IPAddress(peer)!, headers: headers).description
    }

    @Test("an untrusted peer is the client, whatever it says it forwards for")
    func untrustedPeer() {
        #expect(client(peer: "198.51.100.7", [("X-Forwarded-For", "203.0.113.1")]) == "198.51.100.7")
        #expect(client(peer: "198.51.100.7", [("Forwarded", "for=203.0.113.1")], header: .forwarded) == "198.51.100.7")
        var spoofed = HTTPFields()
        spoofed[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.1"
        #expect(TrustedProxies.none.client(peer: IPAddress("10.0.0.1")!, headers: spoofed).description == "10.0.0.1",
                "with no trusted proxies, forwarding headers are ignored entirely")
    }

    @Test("behind trusted proxies the client is the rightmost address that is not itself trusted")
    func rightmostUntrusted() {
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "203.0.113.1")]) == "203.0.113.1")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "6.6.6.6, 203.0.113.1")]) == "203.0.113.1",
                "a spoofed entry left of the client is ignored")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "6.6.6.6, 203.0.113.1, 10.1.1.1")]) == "203.0.113.1",
                "a chain of trusted proxies is walked through")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "203.0.113.9")]) == "203.0.113.9",
                "repeated headers are one list, in order")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "10.2.2.2, 10.1.1.1")]) == "10.2.2.2",
                "when every hop is trusted, the first is the client")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "2001:db8::1")]) == "2001:db8::1")
        #expect(client(peer: "10.0.0.5", []) == "10.0.0.5", "no header: the proxy itself")
    }

    @Test("an entry that is not an address ends the walk at the trusted hop after it")
    func garbage() {
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "203.0.113.1, nonsense")]) == "10.0.0.5")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "203.0.113.1, nonsense, 10.1.1.1")]) == "10.1.1.1")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "nonsense, 203.0.113.1")]) == "203.0.113.1")
    }

    @Test("Forwarded (RFC 7239), when chosen, is read with quotes, ports and IPv6 brackets")
    func forwarded() {
        #expect(client(peer: "10.0.0.5", [("Forwarded", "for=192.0.2.60;proto=https;by=10.0.0.5")], header: .forwarded) == "192.0.2.60")
        #expect(client(peer: "10.0.0.5", [("Forwarded", #"for=6.6.6.6, for="[2001:db8:cafe::17]:4711""#)], header: .forwarded)
                == "2001:db8:cafe::17")
        #expect(client(peer: "10.0.0.5", [("Forwarded", #"For="192.0.2.43:47011""#)], header: .forwarded) == "192.0.2.43")
        #expect(client(peer: "10.0.0.5", [("Forwarded", "for=unknown")], header: .forwarded) == "10.0.0.5")
    }

    @Test("only the header the proxies write is read: a client's own copy of the other one is ignored")
    func oneHeader() {
        #expect(client(peer: "10.0.0.5", [("Forwarded", "for=192.0.2.60"), ("X-Forwarded-For", "203.0.113.1")]) == "203.0.113.1")
        #expect(client(peer: "10.0.0.5", [("Forwarded", "for=192.0.2.60")]) == "10.0.0.5",
                "a proxy writing X-Forwarded-For passes a client's Forwarded through: never read")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "203.0.113.1")], header: .forwarded) == "10.0.0.5",
                "a proxy writing Forwarded passes a client's X-Forwarded-For through: never read")
    }

    @Test("a long header costs a bounded walk: at most thirty hops are read from the right")
    func boundedWalk() {
        let trustedChain = Array(repeating: "10.1.1.1", count: 40).joined(separator: ", ")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", "203.0.113.1, " + trustedChain)]) == "10.1.1.1",
                "a client behind more trusted hops than are read is the last hop read")
        let spoofed = Array(repeating: "6.6.6.6", count: 20_000).joined(separator: ",")
        #expect(client(peer: "10.0.0.5", [("X-Forwarded-For", spoofed + ", 203.0.113.1")]) == "203.0.113.1")
    }
}
