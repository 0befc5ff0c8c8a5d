import LogintooCore
import Testing

@Suite("Doorbell: waking the outbox worker")
struct DoorbellTests {
    @Test("a ring wakes a waiter long before its timeout", .timeLimit(.minutes(1)))
    func ringWakesWaiter() async {
        let doorbell = Doorbell()
        let waiter = Task { await doorbell.wait(timeout: .seconds(3600)) }
        try? await Task.sleep(for: .milliseconds(20))
        doorbell.ring()
        await waiter.value
    }

    @Test("a ring while nobody waits is kept for the next wait, once", .timeLimit(.minutes(1)))
    func ringIsKeptOnce() async {
        let doorbell = Doorbell()
        doorbell.ring()
        doorbell.ring()
        await doorbell.wait(timeout: .seconds(3600))
        let started = ContinuousClock.now
        await doorbell.wait(timeout: .milliseconds(50))
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test("without a ring the wait ends at its timeout, and cancellation ends it at once", .timeLimit(.minutes(1)))
    func timeoutAndCancellation() async {
        let doorbell = Doorbell()
        await doorbell.wait(timeout: .milliseconds(10))
        let waiter = Task { await doorbell.wait(timeout: .seconds(3600)) }
        waiter.cancel()
        await waiter.value
    }
}
