import LogintooCore
import Testing

@Suite("The system's random bytes")
struct SystemRandomTests {
    @Test("as many bytes as asked, across the 256-byte calls; no two answers alike; about half the bits set")
    func bytes() {
        let random = SystemRandom()
        for count in [0, 1, 7, 8, 9, 32, 255, 256, 257, 1000] {
            #expect(random.bytes(count).count == count, "\(count)")
        }
        let answers = (0..<50).map { _ in random.bytes(16) }
        #expect(Set(answers).count == answers.count)
        // 8,000 bits: the count of ones lies within ±5 standard deviations (±224) of 4,000 but for a broken source.
        let ones = random.bytes(1000).reduce(0) { $0 + $1.nonzeroBitCount }
        #expect((3776...4224).contains(ones), "\(ones) bits set of 8,000")
        // The tail of a long answer, past the first call's 256 bytes, is random too.
        let tail = random.bytes(600).suffix(300).reduce(0) { $0 + $1.nonzeroBitCount }
        #expect((1000...1400).contains(tail), "\(tail) bits set of 2,400")
    }
}
