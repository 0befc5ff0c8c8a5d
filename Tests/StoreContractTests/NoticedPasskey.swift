import LogintooCore
import LogintooStore

extension SQLStore {
    /// Adds `passkey` as the service adds one: with its "passkey added" email and that email's link, in one transaction.
    func addNoticedPasskey(_ passkey: Passkey, email: String = "owner@example.com") async throws -> Bool {
        let helpers = PasskeyNotificationStoreTests()
        return try await addPasskey(passkey, notice: helpers.notice("notice-" + passkey.credentialId, to: email, at: passkey.createdAt),
                                    link: helpers.link("link-" + passkey.credentialId, passkey: passkey, email: email))
    }
}
