import Foundation
import Hummingbird
import LogintooCore
import LogintooVerifier
import LogintooVerifierHummingbird

/// The demo API: a small resource server protected by `LogintooVerifier`, with "who am I" and a per-person list of
/// notes. Notes live in memory, so they reset when the server restarts.
struct DemoAPIEndpoints {
    let verifier: AccessTokenVerifier
    let notes: DemoNotes
    /// DPoP-bound tokens (the demo client's) are accepted only with a proof by their key.
    let dpop: DPoPProofVerifier
    let publicOrigin: String

    /// The API's identifier: the `resource` the demo client asks tokens for, and their `aud`.
    static func resource(issuer: String) -> String { issuer + "/demo/api" }

    init(issuer: String, keys: KeyRingSource, clock: any WallClock, random: any RandomSource) {
        verifier = AccessTokenVerifier(issuer: issuer, audience: Self.resource(issuer: issuer),
                                       keys: JWKSCache(source: KeyRingJWKSSource(keys: keys)),
                                       now: { Date(timeIntervalSince1970: TimeInterval(clock.now())) })
        notes = DemoNotes(clock: clock, random: random)
        dpop = DPoPProofVerifier(now: { Date(timeIntervalSince1970: TimeInterval(clock.now())) })
        publicOrigin = RedirectURIPolicy.origin(of: issuer) ?? issuer
    }

    func register(on router: Router<AppRequestContext>) {
        // Proofs name the API by the issuer's origin, whatever host the request arrived with behind a proxy.
        let api = router.group("/demo/api").add(middleware: BearerTokenMiddleware<AppRequestContext>(
            verifier: verifier, realm: "demo", dpop: dpop, publicOrigin: publicOrigin))
        api.get("/me") { _, context in
            let token = try Self.token(context)
            return try Self.json(Me(sub: token.subject, email: token.email, scope: token.scopes.joined(separator: " "),
                                    client_id: token.clientId, expires_at: Int64(token.expiresAt.timeIntervalSince1970)))
        }
        api.get("/notes") { _, context in
            try Self.json(NoteList(notes: await notes.list(owner: try Self.token(context).subject)))
        }
        api.post("/notes") { request, context in
            let owner = try Self.token(context).subject
            var request = request
            guard let body = try? await request.collectBody(upTo: 4096),
                  let input = try? JSONDecoder().decode(NewNote.self, from: Data(buffer: body))
            else { return Self.problem("send JSON {\"text\": \"...\"}", status: .badRequest) }
            let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...DemoNotes.maxLength).contains(text.count) else {
                return Self.problem("a note is 1 to \(DemoNotes.maxLength) characters", status: .badRequest)
            }
            guard let note = await notes.add(owner: owner, text: text) else {
                return Self.problem("at most \(DemoNotes.maxNotes) notes each", status: .conflict)
            }
            return try Self.json(note, status: .created)
        }
        api.delete("/notes/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard await notes.delete(owner: try Self.token(context).subject, id: id) else {
                return Self.problem("no such note", status: .notFound)
            }
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    static func token(_ context: AppRequestContext) throws -> VerifiedAccessToken {
        guard let token = context.accessToken else { throw HTTPError(.unauthorized) }
        return token
    }

    struct Me: Encodable {
        let sub: String
        let email: String?
        let scope: String
        let client_id: String
        let expires_at: Int64
    }
    struct NewNote: Decodable { let text: String }
    struct NoteList: Encodable { let notes: [DemoNotes.Note] }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try Reply.noStoreJSON(value, status: status)
    }

    static func problem(_ message: String, status: HTTPResponse.Status) -> Response {
        (try? Reply.noStoreJSON(["error": message], status: status)) ?? Response(status: status)
    }
}

/// The server's own JWKS, handed to the demo API's verifier without a network round trip.
struct KeyRingJWKSSource: JWKSSource {
    let keys: KeyRingSource
    func fetch() async throws -> (document: Data, maxAge: Int?) {
        (keys.current.jwksDocument, 300)
    }
}

/// The demo API's notes, per person, bounded in number and size.
actor DemoNotes {
    struct Note: Encodable, Sendable {
        let id: String
        let text: String
        let created_at: Int64
    }

    static let maxLength = 280
    static let maxNotes = 50
    static let maxOwners = 10_000
    let clock: any WallClock
    let random: any RandomSource
    private var notes: [String: [Note]] = [:]

    init(clock: any WallClock, random: any RandomSource) {
        self.clock = clock
        self.random = random
    }

    func list(owner: String) -> [Note] { notes[owner] ?? [] }

    func add(owner: String, text: String) -> Note? {
        var mine = notes[owner] ?? []
        guard mine.count < Self.maxNotes, notes[owner] != nil || notes.count < Self.maxOwners else { return nil }
        let note = Note(id: random.token(bytes: 9), text: text, created_at: clock.now())
        mine.append(note)
        notes[owner] = mine
        return note
    }

    func delete(owner: String, id: String) -> Bool {
        guard let index = notes[owner]?.firstIndex(where: { $0.id == id }) else { return false }
        notes[owner]?.remove(at: index)
        return true
    }
}
