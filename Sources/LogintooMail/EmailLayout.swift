/// The layout both built-in HTML emails share: table layout and inline styles, as email clients need; no scripts, no
/// external styles. `title` and `body` are template text (Mustache), so a page keeps its own variables.
enum EmailLayout {
    static func markup(title: String, body: String) -> String {
        head(title: title) + "\n" + body + "\n" + tail
    }

    static func head(title: String) -> String {
        """
        <!doctype html>
        <html lang="{{lang}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
        <meta name="color-scheme" content="light dark"><title>\(title)</title></head>
        <body style="margin:0;padding:0;background:#f4f5f7;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 12px;">
        <tr><td align="center">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:480px;background:#ffffff;\
        border-radius:12px;border-top:6px solid {{accentColor}};font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
        color:#1f2328;">
        <tr><td style="padding:28px 28px 8px;">
        """
    }

    static let tail = """
        </td></tr>
        <tr><td style="padding:12px 28px 20px;border-top:1px solid #eaeef2;font-size:12px;color:#57606a;">{{sender}}\
        {{#privacy}}<br><a href="{{href}}" style="color:#57606a;">{{text}}</a>{{/privacy}}\
        {{#terms}}{{^privacy}}<br>{{/privacy}}{{#privacy}} · {{/privacy}}<a href="{{href}}" style="color:#57606a;">{{text}}</a>{{/terms}}</td></tr>
        </table>
        </td></tr>
        </table>
        </body>
        </html>

        """
}
