/// What an operator does to clients from the admin API: register, read, change (every field, `ClientFields`), remove, and
/// rotate a confidential client's secret. A secret is shown once, when it is made; only its digest is kept. Every change
/// is recorded in the audit trail with the operator who made it.
public struct ClientAdministration: Sendable {
    let registry: ClientRegistry
    let store: any ClientStore
    let events: any SecurityEventSink

    public init(store: any ClientStore, clock: any WallClock, random: any RandomSource, events: any SecurityEventSink) {
        registry = ClientRegistry(store: store, clock: clock, random: random)
        self.store = store
        self.events = events
    }

    /// A client as saved, and the secret made for it by this call (shown once), if any.
    public struct Outcome: Sendable {
        public let client: Client
        public let secret: String?
    }

    /// Why a client could not be changed as asked.
    public enum Refusal: Error, Equatable, Sendable {
        /// A field's value is refused (`ClientFields.Refusal`).
        case invalidField(ClientFields.Refusal)
        /// Only a confidential client has a secret to rotate.
        case notConfidential
        /// The admin client calling may not remove itself or take away its own admin setting: it would lock out the
        /// script mid-run (the command line can).
        case ownAdminAccess
        /// The admin console's client is the server's own: written at every start, its redirect URI only the console's.
        case builtIn
    }

    public func client(id: String) async throws -> Client? { try await registry.client(id: id) }

    /// Registers a client from `fields`; `name` is required, `confidential` is false unless given.
    public func create(_ fields: [String: JSONValue], actor: String) async throws -> Outcome {
        var draft = Client(id: "", name: "", secretHash: nil, redirectURIs: [], createdAt: 0)
        guard fields["name"] != nil else { throw Refusal.invalidField(.init(field: "name", reason: "is required")) }
        let confidential = try read(fields, into: &draft) == .confidential
        try check(draft, confidential: confidential)
        let registration = try await registry.register(
            name: draft.name, redirectURIs: draft.redirectURIs, postLogoutRedirectURIs: draft.postLogoutRedirectURIs,
            confidential: confidential, settings: draft.settings)
        await events.record(.clientCreated(clientId: registration.client.id, actor: actor))
        return Outcome(client: registration.client, secret: registration.secret)
    }

    /// Changes the fields `fields` names, leaving the others as they are; `nil` without such a client. Making a public
    /// client confidential makes its secret (returned once); making a confidential one public drops its secret.
    public func update(id: String, _ fields: [String: JSONValue], actor: String) async throws -> Outcome? {
        guard id != AdminConsole.clientId else { throw Refusal.builtIn }
        guard var client = try await store.client(id: id) else { return nil }
        let confidentiality = try read(fields, into: &client)
        var secret: String?
        switch confidentiality {
        case .unchanged: break
        case .public: client.secretHash = nil
        case .confidential where client.secretHash == nil:
            secret = registry.newSecret()
            client.secretHash = secret.map(SecretDigest.sha256)
        case .confidential: break
        }
        guard client.isAdmin || !Self.isCaller(id, actor) else { throw Refusal.ownAdminAccess }
        try check(client, confidential: client.isConfidential)
        try await store.saveClient(client)
        let changed = fields.keys.sorted().joined(separator: ",")
        await events.record(.clientUpdated(clientId: id, actor: actor, fields: String(changed.prefix(300))))
        return Outcome(client: client, secret: secret)
    }

    /// Removes the client and revokes everything issued to it; false without such a client.
    public func remove(id: String, actor: String) async throws -> Bool {
        guard id != AdminConsole.clientId else { throw Refusal.builtIn }
        guard !Self.isCaller(id, actor) else { throw Refusal.ownAdminAccess }
        guard try await store.removeClient(id: id) else { return false }
        await events.record(.clientRemoved(clientId: id, actor: actor))
        return true
    }

    /// Gives the confidential client a new secret, returned once; the old one stops working at once. Tokens issued
    /// before stay until they expire or are revoked. `nil` without such a client.
    public func rotateSecret(id: String, actor: String) async throws -> Outcome? {
        guard id != AdminConsole.clientId else { throw Refusal.builtIn }
        guard var client = try await store.client(id: id) else { return nil }
        guard client.isConfidential else { throw Refusal.notConfidential }
        let secret = registry.newSecret()
        client.secretHash = SecretDigest.sha256(secret)
        try await store.saveClient(client)
        await events.record(.clientSecretRotated(clientId: id, actor: actor))
        return Outcome(client: client, secret: secret)
    }

    /// Whether `actor` (`client:ID`, as the admin API names its caller) is client `id` itself.
    static func isCaller(_ id: String, _ actor: String) -> Bool { actor == "client:" + id }

    func read(_ fields: [String: JSONValue], into client: inout Client) throws(Refusal) -> ClientFields.Confidentiality {
        do { return try ClientFields.apply(fields, to: &client) } catch { throw .invalidField(error) }
    }

    func check(_ client: Client, confidential: Bool) throws(Refusal) {
        do { try ClientFields.check(client, confidential: confidential) } catch { throw .invalidField(error) }
    }
}
