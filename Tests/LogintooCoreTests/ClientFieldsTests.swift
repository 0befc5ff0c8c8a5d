import LogintooCore
import Testing

@Suite("Client fields from the admin API, and the outbox retry rule")
struct ClientFieldsTests {
    let blank = Client(id: "c", name: "", secretHash: nil, redirectURIs: [], createdAt: 0)

    func refusal(_ fields: [String: JSONValue], to client: Client? = nil) -> String? {
        var client = client ?? blank
        do { _ = try ClientFields.apply(fields, to: &client) } catch { return error.field }
        return nil
    }

    func field(_ client: Client, _ confidential: Bool) -> String? {
        do { try ClientFields.check(client, confidential: confidential) } catch { return error.field }
        return nil
    }

    @Test("every setting is read by its snake_case name; null resets it; false unsets admin")
    func readsEverySetting() throws {
        var client = blank
        client.settings = ClientSettings(codeDigits: 8, admin: true)
        let confidentiality = try ClientFields.apply([
            "name": .string("Shop"), "redirect_uris": .array([.string("https://shop.example.com/cb")]), "confidential": .bool(true),
            "code_digits": .null, "code_max_attempts": .number(4), "access_token_lifetime": .number(600), "refresh_sliding": .bool(false),
            "sender_name": .string("Shop"), "resources": .array([]), "admin": .bool(false),
        ], to: &client)
        #expect(confidentiality == .confidential && client.name == "Shop" && client.redirectURIs == ["https://shop.example.com/cb"])
        #expect(client.settings == ClientSettings(accessTokenLifetime: 600, refreshSliding: false, codeMaxAttempts: 4, senderName: "Shop"))
        #expect(Set(ClientFields.names).isSuperset(of: ["name", "admin", "code_digits", "accent_color", "resources", "reply_to"]))
    }

    @Test("a wrong type, an out-of-bounds value or an unknown name is refused naming its field")
    func refusesNamingTheField() {
        #expect(refusal(["code_digits": .number(11)]) == "code_digits")
        #expect(refusal(["code_digits": .number(6.5)]) == "code_digits")
        #expect(refusal(["code_lifetime": .string("600")]) == "code_lifetime")
        #expect(refusal(["logo_url": .string("http://x.example.com/a.png")]) == "logo_url")
        #expect(refusal(["redirect_uris": .array([.number(1)])]) == "redirect_uris")
        #expect(refusal(["name": .null]) == "name")
        #expect(refusal(["secretHash": .string("x")]) == "secretHash")
        #expect(refusal(["code_digits": .number(8)]) == nil)
    }

    @Test("the rules across fields name the field they are about")
    func checksAcrossFields() {
        var client = blank
        client.name = "A"
        #expect(throws: ClientFields.Refusal.self) { try ClientFields.check(client, confidential: false) }
        #expect(field(client, false) == "redirect_uris")
        client.settings.admin = true
        #expect(field(client, false) == "admin")
        #expect(field(client, true) == nil, "an admin client needs no redirect URI")
        client.name = ""
        #expect(field(client, true) == "name")
    }

    @Test("only a waiting message whose code is live is retried")
    func retryRule() {
        #expect(OutboxRetry.decide(.init(sentAt: nil, abandonedAt: nil, expiresAt: 200), now: 100) == .retried)
        #expect(OutboxRetry.decide(.init(sentAt: 90, abandonedAt: nil, expiresAt: 200), now: 100) == .alreadySent)
        #expect(OutboxRetry.decide(.init(sentAt: nil, abandonedAt: 90, expiresAt: 200), now: 100) == .abandoned)
        #expect(OutboxRetry.decide(.init(sentAt: nil, abandonedAt: nil, expiresAt: 100), now: 100) == .abandoned)
    }
}
