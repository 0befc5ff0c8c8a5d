import LogintooCore
import Testing

@Suite("Scope")
struct ScopeTests {
    @Test("a scope is cut at its spaces, empty values dropped; a repeat is read once; an unsupported value refuses it all")
    func values() {
        #expect(Scope.values(of: "openid email offline_access") == ["openid", "email", "offline_access"])
        #expect(Scope.values(of: "  openid   email ") == ["openid", "email"])
        #expect(Scope.values(of: "") == [] && Scope.values(of: "   ") == [])
        #expect(Scope.values(of: "é openid\u{00A0}email") == ["é", "openid\u{00A0}email"])
        // A space followed by a combining mark is one `Character`, but the grammar's separator all the same; the piece
        // after it is not a supported scope either way.
        #expect(Scope.values(of: "openid \u{301}email") == ["openid", "\u{301}email"])
        #expect(Scope.parse("openid \u{301}email") == nil)
        #expect(Scope.parse("openid openid email") == ["openid", "email"])
        #expect(Scope.parse("openid profile") == nil && Scope.parse("openid\temail") == nil)
        #expect(Scope.parse(nil) == [] && Scope.parse("") == [])
    }
}
