/// Who may use the admin console: accounts the operator made admins (`logintoo admin grant|revoke|list`). A grant for an
/// address that has never signed in makes its account, so the first sign-in finds the role.
public struct AdminRoles: Sendable {
    let store: any AdminRoleStore & AccountStore & AccountAdministrationStore
    let clock: any WallClock
    let random: any RandomSource
    let events: any SecurityEventSink

    public init(store: any AdminRoleStore & AccountStore & AccountAdministrationStore, clock: any WallClock, random: any RandomSource,
                events: any SecurityEventSink) {
        (self.store, self.clock, self.random, self.events) = (store, clock, random, events)
    }

    /// Makes `email`'s account an admin; false when it was one already.
    public func grant(email: String, actor: String) async throws(AdminRoleError) -> Bool {
        let address = try Self.address(email)
        do {
            let account = try await store.findOrCreateAccount(email: address, newId: random.token(bytes: 16), now: clock.now())
            guard try await store.grantAdmin(accountId: account.id, now: clock.now()) else { return false }
            await events.record(.adminGranted(email: account.email, accountId: account.id, actor: actor))
            return true
        } catch {
            throw .store(error)
        }
    }

    /// Ends `email`'s admin role and its console sessions (their grants are revoked, so granting the role again brings
    /// none back). False when it had none.
    public func revoke(email: String, actor: String) async throws(AdminRoleError) -> Bool {
        let address = try Self.address(email)
        do {
            guard let account = try await store.account(email: address), try await store.revokeAdmin(accountId: account.id) else {
                return false
            }
            let now = clock.now()
            for grant in try await store.grants(accountId: account.id, now: now) where grant.clientId == AdminConsole.clientId {
                _ = try await store.revokeGrants(accountId: account.id, grantId: grant.id, now: now)
            }
            await events.record(.adminRevoked(email: account.email, accountId: account.id, actor: actor))
            return true
        } catch {
            throw .store(error)
        }
    }

    public func list() async throws -> [Account] { try await store.adminAccounts() }

    public func isAdmin(accountId: String) async throws -> Bool { try await store.isAdmin(accountId: accountId) }

    static func address(_ email: String) throws(AdminRoleError) -> String {
        guard let address = try? EmailAddress.parse(email) else { throw .notAnAddress(email) }
        return address.value
    }
}

/// Why an admin role was not changed.
public enum AdminRoleError: Error, CustomStringConvertible {
    case notAnAddress(String)
    case store(any Error)

    public var description: String {
        switch self {
        case .notAnAddress(let text): "not an email address: \(text)"
        case .store(let error): "\(error)"
        }
    }
}
