import Foundation
import Hummingbird
import LogintooCore

/// The admin console's clients, signing keys and outbox: the admin API's operations (`AdminOperations`) as pages and
/// forms, signed in, rendered and CSRF-checked by `AdminConsoleEndpoints`. Every change names the console's admin in the
/// audit trail; a secret is shown once, on the page answering the form that made it.
struct AdminConsoleOperationsEndpoints {
    let pages: AdminConsoleEndpoints
    let operations: AdminOperations

    func register(on router: Router<AppRequestContext>) {
        router.get("/assets/admin.css") { _, _ in
            Reply.text(AdminConsoleOperationsTemplates.stylesheet, contentType: "text/css; charset=utf-8",
                       cacheControl: "public, max-age=3600")
        }
        router.get("/admin/clients") { request, _ in
            try await pages.signedIn(request) { caller, session in
                try await clientList(caller, session, notice: request.uri.queryParameters["done"].map(Self.notice))
            }
        }
        router.post("/admin/clients") { request, _ in try await posted(request) { caller, form in try await createClient(form, caller) } }
        router.get("/admin/clients/{id}") { request, context in
            let id = try context.parameters.require("id")
            return try await pages.signedIn(request) { caller, session in
                try await clientPage(id, caller, session, notice: request.uri.queryParameters["done"].map(Self.notice))
            }
        }
        router.post("/admin/clients/{id}") { request, context in
            let id = try context.parameters.require("id")
            return try await posted(request) { caller, form in try await saveClient(id, form, caller) }
        }
        router.post("/admin/clients/{id}/secret") { request, context in
            let id = try context.parameters.require("id")
            return try await posted(request) { caller, _ in try await rotateSecret(id, caller) }
        }
        router.post("/admin/clients/{id}/remove") { request, context in
            let id = try context.parameters.require("id")
            return try await posted(request) { caller, form in try await removeClient(id, form, caller) }
        }
        router.get("/admin/keys") { request, _ in
            try await pages.signedIn(request) { caller, session in
                try await keyList(caller, session, notice: request.uri.queryParameters["done"].map(Self.notice))
            }
        }
        router.post("/admin/keys/rotate") { request, _ in try await posted(request) { caller, form in try await rotateKey(form, caller) } }
        router.get("/admin/outbox") { request, _ in
            try await pages.signedIn(request) { caller, session in
                try await outbox(caller, session, notice: request.uri.queryParameters["done"].map(Self.notice))
            }
        }
        router.post("/admin/outbox/{id}/retry") { request, context in
            let id = try context.parameters.require("id")
            return try await posted(request) { caller, _ in try await retry(id, caller) }
        }
    }

    /// A console page in answer to a form: the session is the one `AdminConsoleEndpoints.posted` checked the form against.
    struct Answer {
        let pages: AdminConsoleEndpoints
        let caller: AdminCaller
        let session: String

        func page(_ template: String, title: String, status: HTTPResponse.Status = .ok, _ values: [String: Any]) async throws
            -> Response {
            Reply.html(try await pages.render(template, title: title, caller: caller, session: session, values), status: status)
        }

        /// The client just saved and the secret just made for it, if any: the one page that ever shows it.
        func secretPage(_ heading: String, _ outcome: ClientAdministration.Outcome) async throws -> Response {
            var values: [String: Any] = ["heading": heading, "id": outcome.client.id]
            if let secret = outcome.secret { values["secret"] = secret }
            return try await page("clientSecret", title: heading, values)
        }

        /// What could not be done, and why; nothing changed.
        func outcome(_ heading: String, _ text: String, back: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await page("outcome", title: heading, status: status, ["heading": heading, "text": text, "back": back])
        }
    }

    func posted(_ request: Request, _ action: (Answer, FormBody) async throws -> Response) async throws -> Response {
        try await pages.posted(request) { caller, form in
            try await action(Answer(pages: pages, caller: caller, session: request.cookie(pages.sessionCookie) ?? ""), form)
        }
    }

    // MARK: clients

    func clientList(_ caller: AdminCaller, _ session: String, notice: String? = nil, draft: [String: String] = [:],
                    refusal: ClientFields.Refusal? = nil) async throws -> String {
        try await pages.render("clients", title: "Clients", caller: caller, session: session, notice: notice,
                               try await clientListValues(draft: draft, refusal: refusal))
    }

    func clientListValues(draft: [String: String], refusal: ClientFields.Refusal?) async throws -> [String: Any] {
        let rows = try await pages.clients.all().map { client in
            ["id": client.id, "name": client.name, "kind": Self.kind(of: client), "redirects": client.redirectURIs.joined(separator: " ")]
        }
        var values: [String: Any] = ["clients": rows, "fields": ConsoleClientForm.controls(ConsoleClientForm.creation, draft, refusal)]
        if let refusal { values["refusal"] = refusal.description }
        return values
    }

    func createClient(_ form: FormBody, _ answer: Answer) async throws -> Response {
        let draft = ConsoleClientForm.values(of: form, ConsoleClientForm.creation)
        do {
            let outcome = try await operations.clients.create(ConsoleClientForm.json(draft, ConsoleClientForm.creation),
                                                              actor: answer.caller.actor)
            return try await answer.secretPage("Client created", outcome)
        } catch ClientAdministration.Refusal.invalidField(let refusal) {
            return try await answer.page("clients", title: "Clients", status: .badRequest,
                                         try await clientListValues(draft: draft, refusal: refusal))
        }
    }

    func clientPage(_ id: String, _ caller: AdminCaller, _ session: String, notice: String? = nil) async throws -> String {
        guard let client = try await operations.clients.client(id: id) else { throw HTTPError(.notFound) }
        return try await pages.render("client", title: client.name, caller: caller, session: session, notice: notice,
                                      Self.clientValues(client, draft: ConsoleClientForm.values(of: client), refusal: nil))
    }

    static func clientValues(_ client: Client, draft: [String: String], refusal: ClientFields.Refusal?) -> [String: Any] {
        var values: [String: Any] = [
            "id": client.id, "clientName": client.name, "created": AdminConsoleEndpoints.date(client.createdAt),
            "kind": kind(of: client), "confidential": client.isConfidential, "readOnly": client.id == AdminConsole.clientId,
            "fields": ConsoleClientForm.controls(ConsoleClientForm.all, draft, refusal),
        ]
        if let refusal { values["refusal"] = refusal.description }
        return values
    }

    /// Saves the fields the form changed; a refused field shows on the form, with nothing saved.
    func saveClient(_ id: String, _ form: FormBody, _ answer: Answer) async throws -> Response {
        guard let client = try await operations.clients.client(id: id) else { throw HTTPError(.notFound) }
        let draft = ConsoleClientForm.values(of: form, ConsoleClientForm.all)
        let saved = ConsoleClientForm.values(of: client)
        let changed = ConsoleClientForm.all.filter { draft[$0.name] != saved[$0.name] }
        let back = "/admin/clients/" + URLQuery.escape(id)
        do {
            guard !changed.isEmpty || id == AdminConsole.clientId else { return Reply.seeOther(back + "?done=unchanged") }
            guard try await operations.clients.update(id: id, ConsoleClientForm.json(draft, changed), actor: answer.caller.actor) != nil
            else { throw HTTPError(.notFound) }
            return Reply.seeOther(back + "?done=saved")
        } catch ClientAdministration.Refusal.invalidField(let refusal) {
            return try await answer.page("client", title: client.name, status: .badRequest,
                                         Self.clientValues(client, draft: draft, refusal: refusal))
        } catch let refusal as ClientAdministration.Refusal {
            return try await refused(refusal, back: back, answer)
        }
    }

    func rotateSecret(_ id: String, _ answer: Answer) async throws -> Response {
        let back = "/admin/clients/" + URLQuery.escape(id)
        do {
            guard let outcome = try await operations.clients.rotateSecret(id: id, actor: answer.caller.actor) else {
                throw HTTPError(.notFound)
            }
            return try await answer.secretPage("New secret for \(outcome.client.name)", outcome)
        } catch let refusal as ClientAdministration.Refusal {
            return try await refused(refusal, back: back, answer)
        }
    }

    func removeClient(_ id: String, _ form: FormBody, _ answer: Answer) async throws -> Response {
        let back = "/admin/clients/" + URLQuery.escape(id)
        do {
            guard form["confirm"] == "remove" || id == AdminConsole.clientId else {
                return try await answer.outcome("Not removed", "Tick the box to confirm. Nothing changed.", back: back, .badRequest)
            }
            guard try await operations.clients.remove(id: id, actor: answer.caller.actor) else { throw HTTPError(.notFound) }
            return Reply.seeOther("/admin/clients?done=removed")
        } catch let refusal as ClientAdministration.Refusal {
            return try await refused(refusal, back: back, answer)
        }
    }

    /// The refusals a form cannot mend: shown as a notice, with nothing changed.
    func refused(_ refusal: ClientAdministration.Refusal, back: String, _ answer: Answer) async throws -> Response {
        let text = switch refusal {
        case .invalidField(let field): field.description
        case .notConfidential: "A public client has no secret to rotate."
        case .ownAdminAccess: "An admin client cannot remove itself or its own admin setting."
        case .builtIn: "The admin console's client is built in: the server writes it at every start."
        }
        return try await answer.outcome("Nothing changed", text, back: back, .conflict)
    }

    static func kind(of client: Client) -> String {
        client.isAdmin ? "confidential admin" : client.isConfidential ? "confidential" : "public"
    }

    // MARK: signing keys

    func keyList(_ caller: AdminCaller, _ session: String, notice: String? = nil) async throws -> String {
        try await pages.render("keys", title: "Signing keys", caller: caller, session: session, notice: notice,
                               try await keyValues(delay: String(KeyLifecycle.defaultActivationDelay), refusal: nil))
    }

    func keyValues(delay: String, refusal: String?) async throws -> [String: Any] {
        let keys = try await operations.keys.list().map { entry in
            ["kid": entry.kid, "alg": entry.algorithm, "state": Self.state(entry.state),
             "created": AdminConsoleEndpoints.date(entry.createdAt), "activates": AdminConsoleEndpoints.date(entry.activatesAt)]
        }
        var values: [String: Any] = ["keys": keys, "delay": delay]
        if let refusal { values["refusal"] = refusal }
        return values
    }

    /// `activate_in`: whole seconds from 0 to 86400, `KeyLifecycle.defaultActivationDelay` when left empty.
    func rotateKey(_ form: FormBody, _ answer: Answer) async throws -> Response {
        let text = form["activate_in"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let delay = text.isEmpty ? KeyLifecycle.defaultActivationDelay : Int64(text)
        guard let delay, KeyAdministration.activationDelays.contains(delay) else {
            return try await answer.page("keys", title: "Signing keys", status: .badRequest,
                                         try await keyValues(delay: text, refusal: "must be a whole number of seconds from 0 to 86400"))
        }
        _ = try await operations.keys.rotate(activatingIn: delay, actor: answer.caller.actor)
        return Reply.seeOther("/admin/keys?done=rotated")
    }

    static func state(_ state: KeyLifecycle.State) -> String {
        switch state {
        case .next(let at): "next, signs from \(AdminConsoleEndpoints.date(at))"
        case .active: "active"
        case .retiring(let until): "retiring, published until \(AdminConsoleEndpoints.date(until))"
        case .expired: "expired"
        }
    }

    // MARK: the outbox

    func outbox(_ caller: AdminCaller, _ session: String, notice: String? = nil) async throws -> String {
        let messages = try await operations.outbox.messages(.all).map { message in
            var row: [String: Any] = ["id": message.id, "recipient": message.recipient, "state": message.state,
                                      "created": AdminConsoleEndpoints.date(message.createdAt), "attempts": message.attempts,
                                      "retriable": message.abandonedAt == nil]
            if message.abandonedAt == nil { row["next"] = AdminConsoleEndpoints.date(message.nextAttemptAt) }
            if let error = message.lastError { row["lastError"] = error }
            return row
        }
        return try await pages.render("outbox", title: "Outbox", caller: caller, session: session, notice: notice,
                                      ["messages": messages])
    }

    /// Makes a waiting email due now; a sent or abandoned one is a notice (`409`), nothing changed.
    func retry(_ id: String, _ answer: Answer) async throws -> Response {
        switch try await operations.outbox.retry(id: id, actor: answer.caller.actor) {
        case .retried: return Reply.seeOther("/admin/outbox?done=retried")
        case .unknown: throw HTTPError(.notFound)
        case .alreadySent: return try await answer.outcome("Not retried", "The email was sent already.", back: "/admin/outbox", .conflict)
        case .abandoned:
            return try await answer.outcome("Not retried", "The email was given up on or its code expired; its content is erased. "
                                            + "The person asks for a new code.", back: "/admin/outbox", .conflict)
        }
    }

    static func notice(_ done: Substring) -> String {
        switch done {
        case "saved": "Saved."
        case "unchanged": "Nothing to save: no field changed."
        case "removed": "Removed: every sign-in and token of that client is revoked."
        case "rotated": "Rotated: the new key is published now and signs after its delay."
        case "retried": "Due now: the outbox sends it at its next round."
        default: "Done."
        }
    }
}
