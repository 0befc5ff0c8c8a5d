import LogintooCore
import SQLKit

extension SQLStore: DPoPProofStore {
    /// One statement, atomic on both engines: a new proof is inserted; a proof seen before is refused while its record
    /// lasts, and an expired record (not yet purged) is taken over.
    public func recordDPoPProof(hash: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO dpop_proofs (proof_hash, expires_at) VALUES (\(bind: hash), \(bind: expiresAt))
                ON CONFLICT (proof_hash) DO UPDATE SET expires_at = \(bind: expiresAt)
                WHERE dpop_proofs.expires_at <= \(bind: now)
                RETURNING proof_hash
                """).first() != nil
        }
    }
}
