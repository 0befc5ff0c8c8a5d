import LogintooCore
import Testing

/// The rotation and session-activity rules alone, over plain facts: no database (docs/security.md F37 to F40).
@Suite("Refresh rotation and session activity policies")
struct RefreshRotationTests {
    static let now: Int64 = 1_800_000_000
    static let grace: Int64 = 10

    /// A live head of a live grant of client "app", whose session was seen a while ago.
    static func facts(retiredAt: Int64? = nil, unusedSuccessor: String? = nil, expiresAt: Int64 = now + 3600,
                      grantExpiresAt: Int64 = now + 86_400, grantRevokedAt: Int64? = nil,
                      sessionLastSeenAt: Int64? = now - 3600) -> RefreshTokenFacts {
        RefreshTokenFacts(grantId: "g", clientId: "app", expiresAt: expiresAt, retiredAt: retiredAt, grantExpiresAt: grantExpiresAt,
                          grantRevokedAt: grantRevokedAt, unusedSuccessor: unusedSuccessor, sessionLastSeenAt: sessionLastSeenAt)
    }

    func decide(_ facts: RefreshTokenFacts, clientId: String = "app", grace: Int64 = grace) -> RefreshRotation.Decision {
        RefreshRotation.decide(facts, clientId: clientId, grace: grace, now: Self.now)
    }

    @Test("a grant bound to a DPoP key rotates only with a proof by that key; a retired token is reuse whatever the proof")
    func boundGrants() {
        var bound = Self.facts()
        bound.dpopJkt = "key-a"
        let at = { (facts: RefreshTokenFacts, key: String?) in
            RefreshRotation.decide(facts, clientId: "app", grace: Self.grace, now: Self.now, proofKey: key)
        }
        #expect(at(bound, "key-a") == .rotate(touchingSession: true))
        #expect(at(bound, nil) == .keyMismatch(proofMissing: true))
        #expect(at(bound, "key-b") == .keyMismatch(proofMissing: false))
        var retired = Self.facts(retiredAt: Self.now - 100)
        retired.dpopJkt = "thiefs-key"
        #expect(at(retired, nil) == .reuse, "a thief who bound the grant to its key cannot shield it from reuse detection")
        var retry = Self.facts(retiredAt: Self.now - 3, unusedSuccessor: "s")
        retry.dpopJkt = "key-a"
        #expect(at(retry, nil) == .keyMismatch(proofMissing: true))
        #expect(at(Self.facts(), "any-key") == .rotate(touchingSession: true), "an unbound grant takes any proof")
    }

    @Test("the live head of a live grant rotates")
    func liveHeadRotates() {
        #expect(decide(Self.facts()) == .rotate(touchingSession: true))
    }

    @Test("another client's token, an expired token and a token of a revoked or ended grant are refused, changing nothing")
    func invalid() {
        #expect(decide(Self.facts(), clientId: "thief") == .invalid)
        #expect(decide(Self.facts(expiresAt: Self.now)) == .invalid)
        #expect(decide(Self.facts(grantRevokedAt: Self.now - 1)) == .invalid)
        #expect(decide(Self.facts(grantExpiresAt: Self.now)) == .invalid)
        #expect(decide(Self.facts(retiredAt: Self.now - 1, unusedSuccessor: "s"), clientId: "thief") == .invalid)
        #expect(decide(Self.facts(retiredAt: Self.now - 100, grantRevokedAt: Self.now - 50)) == .invalid,
                "a revoked family has nothing left to revoke")
    }

    @Test("a retry of the immediate predecessor within the grace replaces its unused successor, up to the grace's last second")
    func retryWithinGraceReplacesSuccessor() {
        #expect(decide(Self.facts(retiredAt: Self.now - 3, unusedSuccessor: "s")) == .replaceUnusedSuccessor("s", touchingSession: true))
        #expect(decide(Self.facts(retiredAt: Self.now - Self.grace, unusedSuccessor: "s"))
                == .replaceUnusedSuccessor("s", touchingSession: true))
    }

    @Test("a retired token is reuse after the grace, once its successor was used, with the grace off, and when it was replaced")
    func reuse() {
        #expect(decide(Self.facts(retiredAt: Self.now - Self.grace - 1, unusedSuccessor: "s")) == .reuse)
        #expect(decide(Self.facts(retiredAt: Self.now - 1, unusedSuccessor: nil)) == .reuse, "its successor was used")
        #expect(decide(Self.facts(retiredAt: Self.now, unusedSuccessor: "s"), grace: 0) == .reuse)
        // A successor replaced by a retry is retired and has no successor of its own: it is never a predecessor.
        #expect(decide(Self.facts(retiredAt: Self.now, unusedSuccessor: nil)) == .reuse)
    }

    @Test("a rotation or a replacement touches the session only when a minute or more has passed, and only a live one")
    func touchingSession() {
        #expect(decide(Self.facts(sessionLastSeenAt: Self.now - 59)) == .rotate(touchingSession: false))
        #expect(decide(Self.facts(sessionLastSeenAt: Self.now - 60)) == .rotate(touchingSession: true))
        #expect(decide(Self.facts(sessionLastSeenAt: nil)) == .rotate(touchingSession: false))
        #expect(decide(Self.facts(retiredAt: Self.now - 1, unusedSuccessor: "s", sessionLastSeenAt: Self.now - 30))
                == .replaceUnusedSuccessor("s", touchingSession: false))
    }

    @Test("session activity is recorded to the minute", arguments: [
        (Int64?.none, false), (now, false), (now - 59, false), (now - 60, true), (now - 86_400, true), (now + 5, false),
    ] as [(Int64?, Bool)])
    func sessionActivity(lastSeenAt: Int64?, recorded: Bool) {
        #expect(SessionActivity.isWorthRecording(lastSeenAt: lastSeenAt, now: Self.now) == recorded)
    }
}
