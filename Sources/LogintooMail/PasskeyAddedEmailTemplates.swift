/// The built-in templates of the "passkey added" email, beside the sign-in email's (`SignInEmailTemplates`): the same
/// layout, no code, and the "this wasn't me" link set apart.
enum PasskeyAddedEmailTemplates {
    static let text = "passkey-added.txt.mustache"
    static let html = "passkey-added.html.mustache"

    static let builtIn = [text: plainText, html: markup]

    /// Plain text: values go in unescaped (`{{{…}}}`).
    static let plainText = """
        {{{intro}}}

        {{{context}}}
        {{{advice}}}

        {{{notMe}}}

        --
        {{{sender}}}

        """

    /// Table layout and inline styles, as email clients need; no scripts, no external styles.
    static let markup = EmailLayout.markup(title: "{{subject}}", body: """
        <p style="margin:0 0 16px;font-size:16px;line-height:1.5;">{{intro}}</p>
        <p style="margin:0 0 8px;font-size:13px;line-height:1.5;color:#57606a;">{{context}}</p>
        <p style="margin:0 0 20px;font-size:13px;line-height:1.5;color:#57606a;">{{advice}}</p>
        <p style="margin:0 0 20px;font-size:15px;line-height:1.5;">{{notMeText}} \
        <a href="{{notMeURL}}" style="color:{{accentColor}};">{{notMeURL}}</a></p>
        """)
}
