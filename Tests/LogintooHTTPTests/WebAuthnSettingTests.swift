import LogintooApp
import LogintooWebAuthn
import Testing

/// `LOGINTOO_WEBAUTHN_RP_ID`: passkeys are made for the issuer's host, or a parent domain of it when set.
@Suite("The passkeys' relying party id")
struct WebAuthnSettingTests {
    func load(_ environment: [String: String]) throws(ConfigurationError) -> Configuration {
        try Configuration.load(flags: [:], environment: ["LOGINTOO_ISSUER": "https://login.example.com",
                                                         "LOGINTOO_MAIL_URL": "console"].merging(environment) { $1 },
                               configFile: nil)
    }

    @Test("unset, passkeys are the issuer host's; a parent domain or the host itself may be named")
    func accepted() throws {
        #expect(try load([:]).webAuthnRPID == nil)
        #expect(try load(["LOGINTOO_WEBAUTHN_RP_ID": "example.com"]).webAuthnRPID == "example.com")
        #expect(try load(["LOGINTOO_WEBAUTHN_RP_ID": "login.example.com"]).webAuthnRPID == "login.example.com")
    }

    @Test("another site, a look-alike suffix, a bare top-level domain or a malformed name is refused, naming the setting",
          arguments: ["other.com", "ample.com", "com", "Example.com", "example..com", "xample.com"])
    func refused(_ id: String) {
        #expect { try load(["LOGINTOO_WEBAUTHN_RP_ID": id]) } throws: { error in
            "\(error)".contains("LOGINTOO_WEBAUTHN_RP_ID")
        }
    }

    @Test("the relying party is the issuer's origin as browsers write it: host in lower case, no default port")
    func origins() {
        #expect(ServerAssembly.relyingParty(issuer: "https://Login.Example.com:443", id: nil)
                == RelyingParty(id: "login.example.com", origins: ["https://login.example.com"]))
        #expect(ServerAssembly.relyingParty(issuer: "http://localhost:8080", id: nil)
                == RelyingParty(id: "localhost", origins: ["http://localhost:8080"]))
        #expect(ServerAssembly.relyingParty(issuer: "https://login.example.com", id: "example.com")
                == RelyingParty(id: "example.com", origins: ["https://login.example.com"]))
    }
}
