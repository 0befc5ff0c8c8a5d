import LogintooCore
import Testing

@Suite("Logout decision (docs/security.md B15, B17)")
struct LogoutDecisionTests {
    let alice = LogoutDecision.Session(accountId: "alice", sid: nil)

    func decide(_ browser: LogoutDecision.Browser, _ request: LogoutDecision.Request) -> LogoutDecision.Outcome {
        LogoutDecision.decide(browser: browser, request: request)
    }

    @Test("a link whose hint names this session's account ends the session without asking")
    func matchingHint() {
        #expect(decide(.live(alice), .link(hint: .init(sub: "alice", sid: nil))) == .endSession)
    }

    @Test("a link whose hint names another account asks, and never ends the session")
    func foreignHint() {
        #expect(decide(.live(alice), .link(hint: .init(sub: "mallory", sid: nil))) == .ask)
    }

    @Test("a hint naming a sid skips the question only for the session with that sid")
    func sid() {
        #expect(decide(.live(alice), .link(hint: .init(sub: "alice", sid: "s1"))) == .ask, "the session has no sid")
        let withSid = LogoutDecision.Session(accountId: "alice", sid: "s1")
        #expect(decide(.live(withSid), .link(hint: .init(sub: "alice", sid: "s1"))) == .endSession)
        #expect(decide(.live(withSid), .link(hint: .init(sub: "alice", sid: "s2"))) == .ask)
        #expect(decide(.live(withSid), .link(hint: .init(sub: "alice", sid: nil))) == .endSession)
    }

    @Test("a link without a hint asks")
    func noHint() {
        #expect(decide(.live(alice), .link(hint: nil)) == .ask)
    }

    @Test("only the confirmation carrying this browser's CSRF token ends the session; a forged one is refused")
    func confirmation() {
        #expect(decide(.live(alice), .confirmation(csrfValid: true)) == .endSession)
        #expect(decide(.live(alice), .confirmation(csrfValid: false)) == .refuse)
        #expect(decide(.noLiveSession, .confirmation(csrfValid: true)) == .endSession, "what is left of an expired session ends")
        #expect(decide(.noLiveSession, .confirmation(csrfValid: false)) == .refuse)
    }

    @Test("without a live session a link ends nothing, and without a cookie nothing is ever ended")
    func nothingToEnd() {
        #expect(decide(.noLiveSession, .link(hint: .init(sub: "alice", sid: nil))) == .nothingToEnd)
        #expect(decide(.noLiveSession, .link(hint: nil)) == .nothingToEnd)
        #expect(decide(.noCookie, .link(hint: .init(sub: "alice", sid: nil))) == .nothingToEnd)
        #expect(decide(.noCookie, .confirmation(csrfValid: false)) == .refuse, "a cross-site POST carries no Lax cookie")
        #expect(decide(.noCookie, .confirmation(csrfValid: true)) == .refuse)
    }
}
