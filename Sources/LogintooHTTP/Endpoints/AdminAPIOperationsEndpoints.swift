import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LogintooCore

/// The admin API's client, signing-key, outbox and delivery operations under `/admin/api/` (JSON), behind `AdminAccessMiddleware`
/// like the account routes (`AdminAPIEndpoints`), whose refusal shape they answer with. Every change names the admin
/// client that made it in the audit trail.
struct AdminAPIOperationsEndpoints {
    let operations: AdminOperations
    let access: AdminAccess
    let logger: Logger

    /// A client's JSON is a few URIs and settings; 16 KiB is plenty.
    static let maxBodyBytes = 16 * 1024

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("/admin/api").add(middleware: AdminAccessMiddleware(access: access))
        api.post("/clients") { request, context in await respond { try await createClient(request, context) } }
        api.get("/clients/{id}") { _, context in await respond { try await showClient(context) } }
        api.patch("/clients/{id}") { request, context in await respond { try await updateClient(request, context) } }
        api.delete("/clients/{id}") { _, context in await respond { try await removeClient(context) } }
        api.post("/clients/{id}/secret") { _, context in await respond { try await rotateSecret(context) } }
        api.get("/keys") { _, _ in await respond { try await listKeys() } }
        api.post("/keys/rotate") { request, context in
            await respond { try await rotateKey(request, actor: try AdminAPIEndpoints.actor(context)) }
        }
        api.get("/outbox") { request, _ in await respond { try await listOutbox(request) } }
        api.post("/outbox/{id}/retry") { _, context in await respond { try await retry(context) } }
        api.get("/deliveries") { request, _ in await respond { try await listDeliveries(request) } }
    }

    typealias Refusal = AdminAPIEndpoints.Refusal

    /// Runs a handler; the core's refusals become `{"error", "error_description"}` with their status, as
    /// `AdminAPIEndpoints.respond` answers the account routes.
    func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let refusal as ClientAdministration.Refusal {
            return switch refusal {
            case .invalidField(let field): AdminAPIEndpoints.problem("invalid_request", field.description, .badRequest)
            case .notConfidential: AdminAPIEndpoints.problem("conflict", "a public client has no secret to rotate", .conflict)
            case .ownAdminAccess:
                AdminAPIEndpoints.problem("conflict", "an admin client cannot remove itself or its own admin setting", .conflict)
            case .builtIn:
                AdminAPIEndpoints.problem("conflict", "the admin console's client is built in; it is written at every start", .conflict)
            }
        } catch {
            return AdminAPIEndpoints.answer(error, logger: logger)
        }
    }

    // MARK: clients

    func createClient(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await Self.object(request, required: true)
        let outcome = try await operations.clients.create(fields, actor: try AdminAPIEndpoints.actor(context))
        return try Reply.noStoreJSON(AdminOperationsView.ClientDetails(outcome.client, secret: outcome.secret), status: .created)
    }

    func showClient(_ context: AppRequestContext) async throws -> Response {
        guard let client = try await operations.clients.client(id: try Self.id(context, "client")) else {
            throw Refusal.notFound("no such client")
        }
        return try Reply.noStoreJSON(AdminOperationsView.ClientDetails(client))
    }

    func updateClient(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context, "client")
        let fields = try await Self.object(request, required: true)
        guard let outcome = try await operations.clients.update(id: id, fields, actor: try AdminAPIEndpoints.actor(context)) else {
            throw Refusal.notFound("no such client")
        }
        return try Reply.noStoreJSON(AdminOperationsView.ClientDetails(outcome.client, secret: outcome.secret))
    }

    func removeClient(_ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context, "client")
        guard try await operations.clients.remove(id: id, actor: try AdminAPIEndpoints.actor(context)) else {
            throw Refusal.notFound("no such client")
        }
        return try Reply.noStoreJSON(AdminOperationsView.Removed(id: id))
    }

    func rotateSecret(_ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context, "client")
        guard let outcome = try await operations.clients.rotateSecret(id: id, actor: try AdminAPIEndpoints.actor(context)) else {
            throw Refusal.notFound("no such client")
        }
        return try Reply.noStoreJSON(AdminOperationsView.ClientDetails(outcome.client, secret: outcome.secret))
    }

    // MARK: signing keys

    func listKeys() async throws -> Response {
        try Reply.noStoreJSON(["keys": try await operations.keys.list().map(AdminOperationsView.Key.init)])
    }

    /// `{"activate_in": SECONDS}` (0 to 86400; 900 when absent), or no body.
    func rotateKey(_ request: Request, actor: String) async throws -> Response {
        let fields = try await Self.object(request, required: false)
        if let unknown = fields.keys.first(where: { $0 != "activate_in" }) {
            throw Refusal.badRequest("\(unknown): unknown field; known: activate_in")
        }
        var delay = KeyLifecycle.defaultActivationDelay
        if let value = fields["activate_in"] {
            let range = KeyAdministration.activationDelays
            guard case .number(let number) = value, number.rounded() == number,
                  (Double(range.lowerBound)...Double(range.upperBound)).contains(number)
            else { throw Refusal.badRequest("activate_in: must be a whole number of seconds from 0 to 86400") }
            delay = Int64(number)
        }
        return try Reply.noStoreJSON(AdminOperationsView.Key(try await operations.keys.rotate(activatingIn: delay, actor: actor)), status: .created)
    }

    // MARK: the outbox

    struct MessageList: Encodable {
        let messages: [AdminOperationsView.Message]
    }

    func listOutbox(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var selection = UndeliveredMessage.Selection.all
        if let state = query["state"] {
            guard let chosen = UndeliveredMessage.Selection(rawValue: String(state)), chosen != .all else {
                throw Refusal.badRequest("state: must be pending or failed")
            }
            selection = chosen
        }
        let limit = try AdminAPIEndpoints.limit(query["limit"], upTo: OutboxAdministration.listLimit)
        let messages = try await operations.outbox.messages(selection, limit: limit)
        return try Reply.noStoreJSON(MessageList(messages: messages.map(AdminOperationsView.Message.init)))
    }

    // MARK: deliveries

    struct DeliveryList: Encodable {
        let deliveries: [AdminOperationsView.Delivery]
    }

    /// The newest deliveries, as `logintoo deliveries list` shows them.
    func listDeliveries(_ request: Request) async throws -> Response {
        let limit = try AdminAPIEndpoints.limit(request.uri.queryParameters["limit"], upTo: 200)
        let deliveries = try await operations.deliveries.recentDeliveries(limit: limit)
        return try Reply.noStoreJSON(DeliveryList(deliveries: deliveries.map(AdminOperationsView.Delivery.init)))
    }

    func retry(_ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context, "message")
        switch try await operations.outbox.retry(id: id, actor: try AdminAPIEndpoints.actor(context)) {
        case .retried: return try Reply.noStoreJSON(AdminOperationsView.Retried(id: id))
        case .unknown: throw Refusal.notFound("no such message")
        case .alreadySent: throw Refusal(status: .conflict, error: "conflict", description: "the message was sent already")
        case .abandoned:
            throw Refusal(status: .conflict, error: "conflict",
                          description: "the message was abandoned or its code expired; its content is erased: ask for a new code")
        }
    }

    // MARK: reading the request

    static func id(_ context: AppRequestContext, _ what: String) throws -> String {
        let id = try context.parameters.require("id")
        guard !id.isEmpty, id.utf8.count <= 200 else { throw Refusal.notFound("no such \(what)") }
        return id
    }

    /// The body's JSON object, parsed strictly (`StrictJSON`: no duplicate names); an empty body is `{}` unless `required`.
    static func object(_ request: Request, required: Bool) async throws -> [String: JSONValue] {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxBodyBytes) } catch {
            throw Refusal.badRequest("the body is larger than 16 KiB")
        }
        if buffer.readableBytes == 0, !required { return [:] }
        guard HeaderText.mediaType(request.headers[.contentType]) == "application/json" else {
            throw Refusal.badRequest("the body must be a JSON object (application/json)")
        }
        guard case .object(let fields)? = try? StrictJSON.parse(buffer.readableBytesView) else {
            throw Refusal.badRequest("the body must be a JSON object (application/json)")
        }
        return fields
    }
}
