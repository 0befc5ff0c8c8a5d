import LogintooCore
import Testing

@Suite("DPoP nonces")
struct DPoPNonceTests {
    let clock = ManualClock()

    func nonces() throws -> DPoPNonces {
        DPoPNonces(secret: try ServerSecret(bytes: Array(repeating: 7, count: 32)), clock: clock)
    }

    @Test("a nonce holds for its period and the next, then not; a clock set back finds it again; instances agree")
    func periods() throws {
        let nonces = try nonces()
        let first = nonces.current()
        #expect(nonces.current() == first && nonces.isCurrent(first))
        clock.advance(by: DPoPNonces.period)
        let second = nonces.current()
        #expect(second != first && nonces.isCurrent(first) && nonces.isCurrent(second))
        clock.advance(by: DPoPNonces.period)
        #expect(!nonces.isCurrent(first) && nonces.isCurrent(second) && nonces.current() != second)
        let third = nonces.current()
        clock.advance(by: -2 * DPoPNonces.period)
        #expect(nonces.current() == first && nonces.isCurrent(first) && !nonces.isCurrent(second) && !nonces.isCurrent(third))
        #expect(try self.nonces().current() == first)
        #expect(!nonces.isCurrent("") && !nonces.isCurrent(first + "A") && !nonces.isCurrent(String(first.dropLast())))
    }

    @Test("after a jump of two periods or more, the nonce handed out before is refused")
    func jump() throws {
        let nonces = try nonces()
        let first = nonces.current()
        clock.advance(by: 2 * DPoPNonces.period)
        #expect(!nonces.isCurrent(first) && nonces.isCurrent(nonces.current()))
        clock.advance(by: 7 * DPoPNonces.period)
        #expect(!nonces.isCurrent(first) && nonces.current() != first)
    }
}
