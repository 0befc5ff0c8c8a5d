import Foundation
import LogintooDPoP
import Synchronization

/// Checks the DPoP proof (RFC 9449 §7) that must come with a DPoP-bound access token at a resource server: a proof for
/// this request's method and URL, signed by the key the token is bound to, carrying the token's hash (`ath`), within the
/// proof window, and never seen before by this process. A resource server has no server nonces to hand out, so proofs
/// are not asked for one; a replayed proof is refused while its window lasts, in memory (a server with several instances
/// narrows replay to one instance per proof, within a window of `DPoPProof.maxAge` seconds).
public struct DPoPProofVerifier: Sendable {
    let seen: DPoPReplayCache
    let now: @Sendable () -> Date

    public init(capacity: Int = 100_000, now: @escaping @Sendable () -> Date = Date.init) {
        seen = DPoPReplayCache(capacity: capacity)
        self.now = now
    }

    /// The algorithms proofs may be signed with, for the `WWW-Authenticate: DPoP algs=…` challenge.
    public static var algorithms: [String] { DPoPProof.algorithms }

    /// Checks `proof` for `token` presented in a request with `method` to `url` (the URL as the client addressed it).
    public func verify(_ proof: String, for token: VerifiedAccessToken, accessToken: String, method: String, url: String)
        throws(DPoPError) {
        guard let bound = token.dpopKeyThumbprint else { throw .notBound }
        let now = Int64(self.now().timeIntervalSince1970)
        let checked: DPoPProof
        do {
            checked = try DPoPProof.check(proof, against: .init(method: method, url: url, accessToken: accessToken, now: now))
        } catch {
            throw .invalidProof(error.description)
        }
        guard checked.thumbprint == bound else { throw .wrongKey }
        switch seen.record("\(checked.thumbprint)\n\(checked.identifier)", until: DPoPProof.windowEnd(issuedAt: checked.issuedAt),
                           now: now) {
        case .first: return
        case .seen: throw .replayed
        case .full: throw .tooMany
        }
    }
}

/// Why a DPoP-bound token's proof was refused; the description is safe to show the client.
public enum DPoPError: Error, Equatable, Sendable, CustomStringConvertible {
    case notBound
    case invalidProof(String)
    case wrongKey
    case replayed
    /// The replay record is full of proofs still inside their window: refusing is safer than forgetting one.
    case tooMany

    public var description: String {
        switch self {
        case .notBound: "the access token is not DPoP-bound: present it with the Bearer scheme"
        case .invalidProof(let why): why
        case .wrongKey: "the DPoP proof is signed by another key than the token is bound to"
        case .replayed: "the DPoP proof was used before: make a new one (a new jti) for each request"
        case .tooMany: "too many DPoP proofs in the last minutes; try again shortly"
        }
    }
}

/// The proofs seen in their window, bounded. When full, expired entries are dropped (at most once a second, so a flood
/// does not make every request scan the record); a record still full of live entries refuses new proofs rather than
/// forget one, which would let that proof be replayed.
final class DPoPReplayCache: Sendable {
    let capacity: Int
    private let state = Mutex<(entries: [String: Int64], lastSweep: Int64)>(([:], 0))

    enum Use: Equatable { case first, seen, full }

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Whether `key` is new, remembering it until `until`.
    func record(_ key: String, until: Int64, now: Int64) -> Use {
        state.withLock { state in
            if let expiry = state.entries[key], expiry > now { return .seen }
            if state.entries.count >= capacity, state.lastSweep < now {
                state.entries = state.entries.filter { $0.value > now }
                state.lastSweep = now
            }
            guard state.entries.count < capacity else { return .full }
            state.entries[key] = until
            return .first
        }
    }
}
