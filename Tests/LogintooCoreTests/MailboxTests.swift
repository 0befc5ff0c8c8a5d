@testable import LogintooCore
import Testing

@Suite("Mailbox: the key per-address limits count (docs/security.md, limits count mailboxes)")
struct MailboxTests {
    @Test("spellings of one inbox share one key", arguments: [
        ("bob@x.test", "bob@x.test"),
        ("Bob@X.Test", "bob@x.test"),
        ("bob+1@x.test", "bob@x.test"),
        ("BOB+z@x.test", "bob@x.test"),
        ("bob+a+b@x.test", "bob@x.test"),
        ("b.ob@gmail.com", "bob@gmail.com"),
        ("B.o.B+news@gmail.com", "bob@gmail.com"),
        ("bob@googlemail.com", "bob@gmail.com"),
        ("b.o.b@googlemail.com", "bob@gmail.com"),
    ])
    func sameInbox(address: String, key: String) {
        #expect(Mailbox.canonical(address) == key)
    }

    @Test("different inboxes keep different keys", arguments: [
        ("b.ob@x.test", "b.ob@x.test"),
        ("bob@sub.gmail.com", "bob@sub.gmail.com"),
        ("b.ob@gmail.co", "b.ob@gmail.co"),
        ("+news@x.test", "+news@x.test"),
        ("bob@xn--bcher-kva.de", "bob@xn--bcher-kva.de"),
    ])
    func differentInboxes(address: String, key: String) {
        #expect(Mailbox.canonical(address) == key)
    }

    @Test("the send quota and the failure budgets of every spelling of one inbox are one")
    func signInKeysUseTheMailbox() {
        let spellings = ["bob@x.test", "Bob@x.test", "bob+1@x.test", "BOB+z@x.test"]
        #expect(Set(spellings.map(SignInService.addressSendKey)).count == 1)
        let budgets = Set(spellings.map { SignInService.budgets(for: $0, policy: Policy(issuer: "https://login.example.com")).map(\.key) })
        #expect(budgets.count == 1)
        #expect(SignInService.addressSendKey("b.ob@gmail.com") == SignInService.addressSendKey("bob@googlemail.com"))
        #expect(SignInService.addressSendKey("b.ob@x.test") != SignInService.addressSendKey("bob@x.test"))
    }

    @Test("dots matter outside Gmail, so b.ob and bob elsewhere are two mailboxes")
    func dotsOutsideGmail() {
        #expect(Mailbox.canonical("b.ob@x.test") != Mailbox.canonical("bob@x.test"))
    }
}
