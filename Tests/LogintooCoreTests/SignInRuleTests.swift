@testable import LogintooCore
import Testing

/// The sign-in throttle rules as plain functions, without a database (docs/security.md: known and unknown browsers).
@Suite("Sign-in rules")
struct SignInRuleTests {
    let now: Int64 = 1_800_000_000

    func facts(_ lane: CodeLane = .unknownBrowsers, limitsAllow: Bool = true, pausedAt: Int64? = nil, keep: Bool = false)
        -> CodeSendRule.Facts {
        CodeSendRule.Facts(lane: lane, limitsAllow: limitsAllow, pausedAt: pausedAt, liveCodeToKeep: keep)
    }

    @Test("a send with room on every counter issues a code")
    func issues() {
        #expect(CodeSendRule.decide(facts(), pause: 3600, now: now) == .issue)
        #expect(CodeSendRule.decide(facts(.knownBrowser("kb:x")), pause: 3600, now: now) == .issue)
    }

    @Test("a full counter throttles, in every lane")
    func fullCounterThrottles() {
        #expect(CodeSendRule.decide(facts(limitsAllow: false), pause: 3600, now: now) == .throttle)
        #expect(CodeSendRule.decide(facts(.knownBrowser("kb:x"), limitsAllow: false), pause: 3600, now: now) == .throttle)
    }

    @Test("a kept live code outranks a throttle and a pause")
    func keptCodeOutranksThrottle() {
        #expect(CodeSendRule.decide(facts(limitsAllow: false, keep: true), pause: 3600, now: now) == .keepLiveCode)
        #expect(CodeSendRule.decide(facts(pausedAt: now, keep: true), pause: 3600, now: now) == .keepLiveCode)
        #expect(CodeSendRule.decide(facts(keep: true), pause: 3600, now: now) == .keepLiveCode)
    }

    @Test("\"this wasn't me\" pauses unknown browsers for the pause's length, never known ones")
    func pause() {
        #expect(CodeSendRule.decide(facts(pausedAt: now - 3599), pause: 3600, now: now) == .throttle)
        #expect(CodeSendRule.decide(facts(pausedAt: now - 3600), pause: 3600, now: now) == .issue)
        #expect(CodeSendRule.decide(facts(.knownBrowser("s:y"), pausedAt: now), pause: 3600, now: now) == .issue)
    }

    @Test("a browser is known for an address through its cookie, else its session, of that address's own account")
    func knownBrowser() {
        let mine = BrowserEvidence.Proof(id: "c", address: "bob@example.com")
        let session = BrowserEvidence.Proof(id: "s", address: "bob@example.com")
        let other = BrowserEvidence.Proof(id: "o", address: "eve@example.com")
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init()) == .unknownBrowsers)
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init(knownBrowser: mine)) == .knownBrowser("kb:c"))
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init(session: session)) == .knownBrowser("s:s"))
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init(knownBrowser: mine, session: session))
            == .knownBrowser("kb:c"))
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init(knownBrowser: other, session: session))
            == .knownBrowser("s:s"))
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init(knownBrowser: other, session: other))
            == .unknownBrowsers, "being known to another account gives nothing here")
        let alias = BrowserEvidence.Proof(id: "a", address: "bob+evil@example.com")
        #expect(KnownBrowserRule.lane(for: "bob@example.com", evidence: .init(knownBrowser: alias, session: alias))
            == .unknownBrowsers, "an account at a +tag of the address is another account: its browsers are unknown here")
    }

    @Test("a known browser counts on its own copy of each per-address counter; unknown browsers share one")
    func scopedCounters() {
        let shared = RateLimit(key: "verify:short:bob@example.com", limit: 10, window: 900)
        #expect(CodeLane.unknownBrowsers.scoped(shared) == shared)
        let own = CodeLane.knownBrowser("kb:c").scoped(shared)
        #expect(own.key != shared.key && own.key.hasPrefix(shared.key))
        #expect(own.limit == shared.limit && own.window == shared.window && own.interval == shared.interval)
        #expect(CodeLane.knownBrowser("kb:d").scoped(shared).key != own.key, "each known browser has its own")
    }

    @Test("a lane is stored as text and read back")
    func storedLane() {
        for lane in [CodeLane.unknownBrowsers, .knownBrowser("kb:abc"), .knownBrowser("s:def")] {
            #expect(CodeLane(stored: lane.stored) == lane)
        }
        #expect(CodeLane.unknownBrowsers.stored.isEmpty)
    }

    @Test("a sign-in forgets its known browser's failures, and the shared ones only at the mailbox's own address")
    func forgetting() {
        #expect(SignInService.forgetsFailures(of: .knownBrowser("kb:c"), address: "bob+evil@example.com"))
        #expect(SignInService.forgetsFailures(of: .unknownBrowsers, address: "bob@example.com"))
        #expect(!SignInService.forgetsFailures(of: .unknownBrowsers, address: "bob+evil@example.com"),
                "an alias's owner may be someone else, who must not wipe the mailbox's budget between guesses")
        #expect(!SignInService.forgetsFailures(of: .unknownBrowsers, address: "b.ob@gmail.com"))
    }
}
