/// The WebAuthn options and responses as browsers exchange them in JSON (WebAuthn Level 3 §5.1.8, §5.1.9): binary
/// values as base64url. The login pages' script and the `fido2`-style clients speak these shapes.

/// `PublicKeyCredentialCreationOptionsJSON`: what `navigator.credentials.create` needs to make a passkey.
public struct PasskeyCreationOptions: Sendable, Encodable, Equatable {
    public struct RelyingPartyEntity: Sendable, Encodable, Equatable { public var id: String; public var name: String }
    public struct UserEntity: Sendable, Encodable, Equatable { public var id: String; public var name: String; public var displayName: String }
    public struct Parameter: Sendable, Encodable, Equatable { public var type = "public-key"; public var alg: Int }
    public struct Descriptor: Sendable, Encodable, Equatable { public var type = "public-key"; public var id: String }
    public struct Selection: Sendable, Encodable, Equatable {
        public var residentKey = "required"
        public var requireResidentKey = true
        public var userVerification = "preferred"
    }

    public var rp: RelyingPartyEntity
    public var user: UserEntity
    public var challenge: String
    public var pubKeyCredParams: [Parameter]
    public var timeout: Int
    public var excludeCredentials: [Descriptor]
    public var authenticatorSelection = Selection()
    public var attestation = "none"
}

/// `PublicKeyCredentialRequestOptionsJSON`: what `navigator.credentials.get` needs; no credentials are listed, so the
/// browser offers the passkeys it holds for this relying party (discoverable credentials, and autofill).
public struct PasskeyRequestOptions: Sendable, Encodable, Equatable {
    public var challenge: String
    public var timeout: Int
    public var rpId: String
    public var allowCredentials: [PasskeyCreationOptions.Descriptor] = []
    public var userVerification: String
}

/// `RegistrationResponseJSON`: the new credential, as the browser returns it.
public struct PasskeyRegistrationJSON: Sendable, Decodable, Equatable {
    public struct Response: Sendable, Decodable, Equatable {
        public var clientDataJSON: String
        public var attestationObject: String
        public var transports: [String]?
    }
    public var id: String
    public var rawId: String?
    public var type: String
    public var response: Response

    public init(id: String, type: String = "public-key", clientDataJSON: String, attestationObject: String,
                transports: [String]? = nil) {
        (self.id, self.rawId, self.type) = (id, id, type)
        response = Response(clientDataJSON: clientDataJSON, attestationObject: attestationObject, transports: transports)
    }
}

/// `AuthenticationResponseJSON`: a passkey's signature over the challenge, as the browser returns it.
public struct PasskeyAssertionJSON: Sendable, Decodable, Equatable {
    public struct Response: Sendable, Decodable, Equatable {
        public var clientDataJSON: String
        public var authenticatorData: String
        public var signature: String
        public var userHandle: String?
    }
    public var id: String
    public var rawId: String?
    public var type: String
    public var response: Response

    public init(id: String, type: String = "public-key", clientDataJSON: String, authenticatorData: String, signature: String,
                userHandle: String?) {
        (self.id, self.rawId, self.type) = (id, id, type)
        response = Response(clientDataJSON: clientDataJSON, authenticatorData: authenticatorData, signature: signature,
                            userHandle: userHandle)
    }
}
