import LogintooDPoP

/// The server's check of the `DPoP` header of a request (RFC 9449 §4.3): the proof itself (`DPoPProof.check`), a current
/// server nonce when nonces are required, and a `jti` never seen before with the same key, on any instance: each proof
/// is recorded in the store until its window closes.
public struct DPoPProofs: Sendable {
    let store: any DPoPProofStore
    public let nonces: DPoPNonces
    let clock: any WallClock
    /// Whether every proof must carry a current server nonce (`use_dpop_nonce` otherwise).
    public let requiresNonce: Bool

    public init(store: any DPoPProofStore, nonces: DPoPNonces, clock: any WallClock, requiresNonce: Bool) {
        self.store = store
        self.nonces = nonces
        self.clock = clock
        self.requiresNonce = requiresNonce
    }

    /// The algorithms proofs may be signed with, as discovery and `WWW-Authenticate` list them.
    public static var algorithms: [String] { DPoPProof.algorithms }

    /// The key (its RFC 7638 thumbprint) of the proof in `values`, the request's `DPoP` header fields, for a request with
    /// `method` to `url`, beside `accessToken` at a resource; `nil` when there is no proof. Throws `DPoPFailure` when it
    /// is refused.
    public func proofKey(_ values: [String], method: String, url: String, accessToken: String? = nil) async throws -> String? {
        guard let text = values.first else { return nil }
        guard values.count == 1 else { throw DPoPFailure.invalidProof("a request carries one DPoP header") }
        let now = clock.now()
        let proof: DPoPProof
        do {
            proof = try DPoPProof.check(text, against: .init(method: method, url: url, accessToken: accessToken, now: now))
        } catch {
            throw DPoPFailure.invalidProof(error.description)
        }
        if requiresNonce {
            guard let nonce = proof.nonce, nonces.isCurrent(nonce) else { throw DPoPFailure.useNonce }
        }
        let seen = SecretDigest.sha256("\(proof.thumbprint)\n\(proof.identifier)")
        guard try await store.recordDPoPProof(hash: seen, expiresAt: DPoPProof.windowEnd(issuedAt: proof.issuedAt), now: now) else {
            throw DPoPFailure.invalidProof("the DPoP proof was used before: make a new one (a new jti) for each request")
        }
        return proof.thumbprint
    }
}

/// Why a DPoP proof was refused.
public enum DPoPFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidProof(String)
    /// The proof lacks a current server nonce: retry with the one in the `DPoP-Nonce` header.
    case useNonce

    public var oauthError: OAuthError {
        switch self {
        case .invalidProof(let why): OAuthError(.invalidDPoPProof, why)
        case .useNonce: OAuthError(.useDPoPNonce, "the DPoP proof must carry the nonce from the DPoP-Nonce header")
        }
    }

    public var description: String { oauthError.detail }
}
