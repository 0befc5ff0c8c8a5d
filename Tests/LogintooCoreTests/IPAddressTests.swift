import LogintooCore
import Testing

@Suite("IP addresses, networks and per-client budgets")
struct IPAddressTests {
    @Test("IPv4 and IPv6 addresses are read in every text form and written canonically")
    func parsing() throws {
        #expect(IPAddress("192.0.2.10")?.description == "192.0.2.10")
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("[2001:db8::1]")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:192.0.2.10") == IPAddress("192.0.2.10"), "an IPv4-mapped address is the IPv4 address")
        for text in ["", "unknown", "192.0.2", "192.0.2.256", "2001:db8::1%eth0", "_hidden", "192.0.2.1:80", "1.2.3.4 "] {
            #expect(IPAddress(text) == nil, "\(text) is not an address")
        }
    }

    @Test("a network contains exactly the addresses under its prefix")
    func networks() throws {
        let ten = try #require(IPNetwork("10.0.0.0/8"))
        #expect(ten.contains(try #require(IPAddress("10.255.1.2"))))
        #expect(!ten.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!ten.contains(try #require(IPAddress("::ffff:b00:1"))))
        let odd = try #require(IPNetwork("192.0.2.77/27"))
        #expect(odd.description == "192.0.2.64/27", "host bits are cleared")
        #expect(odd.contains(try #require(IPAddress("192.0.2.95"))))
        #expect(!odd.contains(try #require(IPAddress("192.0.2.96"))))
        let v6 = try #require(IPNetwork("fd00::/8"))
        #expect(v6.contains(try #require(IPAddress("fdab::1"))))
        #expect(!v6.contains(try #require(IPAddress("fe80::1"))))
        #expect(!v6.contains(try #require(IPAddress("10.0.0.1"))), "an IPv4 address is in no IPv6 network")
        let single = try #require(IPNetwork("127.0.0.2"))
        #expect(single.prefixLength == 32)
        #expect(single.contains(try #require(IPAddress("127.0.0.2"))))
        #expect(!single.contains(try #require(IPAddress("127.0.0.1"))))
        for text in ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8/8", "nonsense/8"] {
            #expect(IPNetwork(text) == nil, "\(text) is not a network")
        }
    }

    @Test("an IPv6 client's budget is its /64; an IPv4 client's its address")
    func budgets() {
        #expect(ClientBudget.key(for: "2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(ClientBudget.key(for: "2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64")
        #expect(ClientBudget.key(for: "2001:db8:1:3::1") == "2001:db8:1:3::/64")
        #expect(ClientBudget.key(for: "192.0.2.1") == "192.0.2.1")
        #expect(ClientBudget.key(for: "::ffff:192.0.2.1") == "192.0.2.1")
        #expect(ClientBudget.key(for: "unknown") == "unknown")
    }

    @Test("loopback hosts: localhost, 127.0.0.0/8 and ::1 in every spelling; nothing else")
    func loopback() {
        for host in ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"] {
            #expect(IPAddress.isLoopback(host: host), "\(host)")
        }
        for host in ["127.1", "0177.0.0.1", "localhost.example.com", "128.0.0.1", "::2", "10.0.0.1", ""] {
            #expect(!IPAddress.isLoopback(host: host), "\(host)")
        }
    }

    @Test("link-local hosts: 169.254.0.0/16 and fe80::/10, IPv4-mapped and zoned spellings included; nothing else", arguments: [
        ("169.254.169.254", true), ("169.254.0.1", true), ("[fe80::1]", true), ("fe80::1", true), ("FEBF::1", true),
        ("fe80::1%eth0", true), ("[fe80::1%25eth0]", true), ("::ffff:169.254.1.1", true), ("::ffff:a9fe:101", true),
        ("[::ffff:169.254.169.254]", true),
        ("127.0.0.1", false), ("example.com", false), ("10.0.0.1", false), ("169.253.255.255", false), ("169.255.0.1", false),
        ("fec0::1", false), ("fe7f::1", false), ("::1", false), ("::ffff:10.0.0.1", false), ("2852039166", false), ("", false),
    ])
    func linkLocal(host: String, linkLocal: Bool) {
        #expect(IPAddress.isLinkLocal(host: host) == linkLocal)
    }

    @Test("an IPv6 address carries an IPv4 one through NAT64, SIIT or the IPv4-compatible form; other addresses carry none")
    func translatedIPv4() {
        for (host, carried) in [("64:ff9b::a9fe:a9fe", "169.254.169.254"), ("64:ff9b::192.0.2.1", "192.0.2.1"),
                                ("::ffff:0:a9fe:a9fe", "169.254.169.254"), ("::a9fe:a9fe", "169.254.169.254"),
                                ("::192.0.2.1", "192.0.2.1")] {
            #expect(IPAddress(host)?.translatedIPv4 == IPAddress(carried), "\(host)")
        }
        for host in ["::", "::1", "2001:db8::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "192.0.2.1", "fe80::1", "::ffff:192.0.2.1"] {
            #expect(IPAddress(host)?.translatedIPv4 == nil, "\(host)")
        }
    }

    @Test("unspecified: 0.0.0.0/8 and ::, nothing else")
    func unspecified() {
        for host in ["0.0.0.0", "0.1.2.3", "::", "[::]", "0:0:0:0:0:0:0:0"] { #expect(IPAddress(host: host)?.isUnspecified == true, "\(host)") }
        for host in ["1.0.0.0", "::1", "10.0.0.0", "::ffff:1.2.3.4"] { #expect(IPAddress(host: host)?.isUnspecified == false, "\(host)") }
    }
}
