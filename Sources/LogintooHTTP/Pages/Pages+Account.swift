import LogintooCore

/// The account page and its deletion confirmation, in the person's language.
extension Pages {
    /// One passkey as the account page lists it.
    struct PasskeyRow {
        let id: String
        let name: String
        let created: String
        let lastUsed: String?
    }

    /// One live session: `id` is its digest (never the cookie), which the sign-out form posts.
    struct SessionRow {
        let id: String
        let browser: String?
        /// The address prefix it signed in from.
        let network: String?
        let signedIn: String
        let lastSeen: String
        let thisBrowser: Bool
    }

    /// A site the person is signed in to.
    struct SiteRow {
        let id: String
        let name: String
        let signedIn: String
    }

    /// What the account page lists.
    struct AccountContent {
        let email: String
        let passkeys: [PasskeyRow]
        let sessions: [SessionRow]
        let sites: [SiteRow]
    }

    /// The account page: the person's passkeys, sessions and sites, and deleting the account; `csrf` is the session's token.
    func account(_ words: Words, _ content: AccountContent, csrf: String) -> String {
        var values: [String: Any] = [
            "heading": words["page.account.heading"], "intro": words["page.account.intro", ["email": content.email]],
            "csrf": csrf, "passkeys": content.passkeys.map { passkeyValues(words, $0) },
            "sessions": content.sessions.map { sessionValues(words, $0) }, "sites": content.sites.map { siteValues(words, $0) },
        ]
        let labels = [
            "passkeysHeading": "page.account.title", "none": "page.account.none", "nameLabel": "page.account.name",
            "renameLabel": "page.account.rename", "removeLabel": "page.account.remove",
            "sessionsHeading": "page.account.sessions.title", "sessionsIntro": "page.account.sessions.intro",
            "thisBrowserLabel": "page.account.sessions.this", "end": "page.account.sessions.end",
            "endAll": "page.account.sessions.endall", "sitesHeading": "page.account.sites.title",
            "noSites": "page.account.sites.none", "signOut": "page.account.sites.signout",
            "deleteHeading": "page.account.delete.title", "deleteText": "page.account.delete.text",
            "deleteButton": "page.account.delete.button",
        ]
        for (name, key) in labels { values[name] = words[key] }
        return render("account", words: words, title: words["page.account.heading"], values)
    }

    func passkeyValues(_ words: Words, _ row: PasskeyRow) -> [String: Any] {
        ["id": row.id, "name": row.name, "created": words["page.account.created", ["date": row.created]],
         "lastUsed": row.lastUsed.map { words["page.account.used", ["date": $0]] } ?? words["page.account.unused"]]
    }

    func sessionValues(_ words: Words, _ row: SessionRow) -> [String: Any] {
        let browser = row.browser ?? words["page.account.sessions.unknown"]
        let place = row.network.map { words["page.account.sessions.place", ["network": $0]] }
            ?? words["page.account.sessions.place.unknown"]
        return ["id": row.id, "browser": browser, "place": place, "thisBrowser": row.thisBrowser,
                "signedIn": words["page.account.sessions.signedin", ["date": row.signedIn]],
                "lastSeen": words["page.account.sessions.seen", ["date": row.lastSeen]],
                "endLabel": words["page.account.sessions.end.label", ["browser": browser, "place": place]]]
    }

    func siteValues(_ words: Words, _ row: SiteRow) -> [String: Any] {
        ["id": row.id, "name": row.name, "since": words["page.account.sites.since", ["date": row.signedIn]],
         "signOutLabel": words["page.account.sites.signout.label", ["client": row.name]]]
    }

    /// The page that takes the emailed code confirming the deletion of the account of `email`.
    func accountDeletion(_ words: Words, email: String, csrf: String, digits: Int, error: String? = nil,
                         notice: String? = nil) -> String {
        var values: [String: Any] = [
            "heading": words["page.account.delete.title"], "intro": words["page.account.delete.intro", ["email": email]],
            "csrf": csrf, "label": words["page.account.delete.label", ["digits": String(digits)]],
            "submit": words["page.account.delete.submit"], "back": words["page.account.delete.back"],
        ]
        if let error { values["error"] = error }
        if let notice { values["notice"] = notice }
        return render("accountDeletion", words: words, title: words["page.account.delete.title"], values)
    }
}
