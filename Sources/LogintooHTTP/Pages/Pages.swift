import Mustache

/// Renders the hosted pages.
struct Pages: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        let templates = ["layout": PageTemplates.layout, "email": PageTemplates.email, "code": PageTemplates.code,
                         "message": PageTemplates.message, "logoutConfirm": PageTemplates.logoutConfirm]
        for (name, text) in templates {
            // The templates are compiled into the binary; a syntax error in one is a programming error.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    func render(_ template: String, title: String, _ values: [String: Any]) -> String {
        let content = library.render(values, withTemplate: template) ?? ""
        return library.render(["title": title, "content": content], withTemplate: "layout") ?? content
    }

    func email(clientName: String, tx: String, csrf: String, email: String?, error: String?) -> String {
        var values: [String: Any] = ["clientName": clientName, "tx": tx, "csrf": csrf, "email": email ?? ""]
        if let error { values["error"] = error }
        return render("email", title: "Sign in to \(clientName)", values)
    }

    func code(clientName: String, tx: String, csrf: String, email: String, digits: Int, error: String?, notice: String?) -> String {
        var values: [String: Any] = ["clientName": clientName, "tx": tx, "csrf": csrf, "email": email, "digits": digits]
        if let error { values["error"] = error }
        if let notice { values["notice"] = notice }
        return render("code", title: "Enter your code", values)
    }

    func message(heading: String, message: String, link: (href: String, text: String)? = nil) -> String {
        var values: [String: Any] = ["heading": heading, "message": message]
        if let link { values["link"] = ["href": link.href, "text": link.text] }
        return render("message", title: heading, values)
    }

    func logoutConfirm(csrf: String, clientName: String?, clientId: String?, postLogoutRedirectUri: String?, state: String?) -> String {
        var values: [String: Any] = ["csrf": csrf]
        if let clientName { values["clientName"] = clientName }
        if let clientId { values["clientId"] = clientId }
        if let postLogoutRedirectUri { values["postLogoutRedirectUri"] = postLogoutRedirectUri }
        if let state { values["state"] = state }
        return render("logoutConfirm", title: "Sign out", values)
    }
}
