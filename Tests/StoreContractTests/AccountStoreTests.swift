import LogintooCore
import LogintooStore
import Testing

@Suite("Account records")
struct AccountStoreTests {
    @Test("an account kept under a former spelling of its address moves to the new one, unless the new one is taken")
    func formerSpelling() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let old = try await store.findOrCreateAccount(email: "bob@bücher.de", newId: "old", now: 1)
        let moved = try await store.findOrCreateAccount(email: "bob@xn--bcher-kva.de", formerEmail: "bob@bücher.de", newId: "new", now: 2)
        #expect(moved.id == old.id && moved.email == "bob@xn--bcher-kva.de")
        #expect(try await store.account(id: old.id)?.email == "bob@xn--bcher-kva.de")

        let kept = try await store.findOrCreateAccount(email: "eve@münchen.de", newId: "eve-old", now: 3)
        let taken = try await store.findOrCreateAccount(email: "eve@xn--mnchen-3ya.de", newId: "eve-new", now: 4)
        let again = try await store.findOrCreateAccount(email: "eve@xn--mnchen-3ya.de", formerEmail: "eve@münchen.de", newId: "x",
                                                        now: 5)
        #expect(again.id == taken.id, "an account already under the new spelling stays the one found")
        #expect(try await store.account(id: kept.id)?.email == "eve@münchen.de", "the former one is left as it was")
    }
}
