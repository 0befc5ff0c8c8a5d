/// The rules that tie tokens to a DPoP key (RFC 9449), apart from checking proofs (`DPoPProofs`).
public enum DPoPBinding {
    /// Whether `text` can be an RFC 7638 SHA-256 thumbprint: 32 bytes in unpadded base64url.
    public static func isThumbprint(_ text: String) -> Bool {
        text.utf8.count == 43 && Base64URL.decode(text)?.count == 32
    }

    /// The key a grant's refresh tokens are bound to: a public client's proof key (RFC 9449 §5). A confidential client
    /// authenticates at each refresh, so its refresh tokens stay unbound and each access token takes the key of the
    /// proof sent with the request that minted it.
    public static func refreshKey(proofKey: String?, client: Client) -> String? {
        client.isConfidential ? nil : proofKey
    }

    /// A client whose tokens must be DPoP-bound (`Policy.requiresDPoP`) gets none without a proof, by any route to the
    /// grants (the token endpoint or the Logintoo JSON API).
    public static func checkRequired(proofKey: String?, client: Client, policy: Policy) throws {
        if proofKey == nil, policy.requiresDPoP(for: client) {
            throw OAuthError(.invalidDPoPProof, "this client's tokens are DPoP-bound: send a DPoP proof (RFC 9449)")
        }
    }

    /// RFC 9449 §5: the refusal of a bound grant's refresh without a proof by its key (`RefreshRotation.decide`).
    public static func refusal(proofMissing: Bool) -> OAuthError {
        proofMissing
            ? OAuthError(.invalidDPoPProof, "the refresh token is bound to a DPoP key: send a DPoP proof signed by it")
            : OAuthError.invalidGrant("the refresh token is bound to another DPoP key")
    }

    /// RFC 9449 §10: a code issued for `dpop_jkt` is exchanged only with a proof by that key.
    public static func checkCode(_ code: AuthorizationCode, proofKey: String?) throws {
        guard let bound = code.dpopJkt else { return }
        guard proofKey == bound else {
            throw OAuthError.invalidGrant("the authorization code is bound to a DPoP key (dpop_jkt): send a DPoP proof signed by it")
        }
    }
}
