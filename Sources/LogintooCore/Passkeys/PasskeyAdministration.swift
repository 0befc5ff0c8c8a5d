/// The operator's view of an account's passkeys (`logintoo account passkeys`): list them, and remove one or all, as
/// when a person has lost a device and asks for its passkey to stop working. Removals are security events.
public struct PasskeyAdministration: Sendable {
    let store: any PasskeyStore & AccountStore
    let events: any SecurityEventSink
    let clock: any WallClock

    public init(store: any PasskeyStore & AccountStore, events: any SecurityEventSink, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.events = events
        self.clock = clock
    }

    /// The account of `email` (as typed: the address is normalized first) and its passkeys, newest first; `nil` when
    /// there is no such account.
    public func passkeys(email: String) async throws -> (Account, [Passkey])? {
        guard let address = EmailAddress(email)?.value, let account = try await store.account(email: address) else { return nil }
        return (account, try await store.passkeys(accountId: account.id))
    }

    /// Removes the passkey `credentialId` of the account, or every passkey of it when `credentialId` is nil; the ones
    /// removed.
    public func remove(email: String, credentialId: String?) async throws -> [Passkey] {
        guard let (account, passkeys) = try await passkeys(email: email) else { return [] }
        var removed: [Passkey] = []
        for passkey in passkeys where credentialId == nil || passkey.credentialId == credentialId {
            if try await store.removePasskey(credentialId: passkey.credentialId, accountId: account.id, now: clock.now()) {
                removed.append(passkey)
                await events.record(.passkeyRemoved(email: account.email, accountId: account.id))
            }
        }
        return removed
    }
}
