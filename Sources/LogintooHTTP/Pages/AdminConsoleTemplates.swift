/// The admin console's pages (Mustache, escaped by default), in the login pages' style and stylesheet. The console speaks
/// English: it is for the operator's staff.
enum AdminConsoleTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{title}} · Logintoo admin</title>
        <link rel="stylesheet" href="/assets/login.css">
        <link rel="stylesheet" href="/assets/admin.css">
        </head>
        <body>
        <main class="card wide">
        <nav class="secondary" aria-label="Admin">
        <a href="/admin">Accounts</a> <a href="/admin/audit">Audit trail</a> <a href="/admin/clients">Clients</a>
        <a href="/admin/keys">Signing keys</a> <a href="/admin/outbox">Outbox</a>
        <form method="post" action="/admin/logout"><input type="hidden" name="csrf" value="{{csrf}}">\
        <button type="submit" class="link" id="admin-sign-out">Sign out</button></form>
        </nav>
        <p class="muted">Signed in as {{admin}}</p>
        {{#notice}}<p class="notice" role="status" id="admin-notice">{{notice}}</p>{{/notice}}
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let accounts = """
        <h1>Accounts</h1>
        <form method="get" action="/admin" role="search">
        <label for="q">Address begins with</label>
        <div class="row"><input id="q" name="q" type="search" value="{{query}}" placeholder="Address begins with…" autofocus>
        <button type="submit" id="admin-search">Search</button></div>
        </form>
        {{#searched}}
        <ul class="notes" id="admin-results">
        {{#accounts}}<li><a href="/admin/accounts/{{id}}">{{email}}</a> <span class="muted">{{state}} · last sign-in {{lastSignIn}}</span></li>{{/accounts}}
        {{^accounts}}<li class="muted">No account begins with that.</li>{{/accounts}}
        </ul>
        {{/searched}}
        """

    static let account = """
        <h1 id="admin-account-email">{{email}}</h1>
        <p class="muted">Account {{id}} · created {{created}} · <strong id="admin-account-state">{{state}}</strong></p>
        <div class="panel">
        <h2>Access</h2>
        {{#disabled}}<form method="post" action="/admin/accounts/{{id}}/enable"><input type="hidden" name="csrf" value="{{csrf}}">\
        <button type="submit" class="compact" id="admin-enable">Enable</button></form>{{/disabled}}
        {{^disabled}}<form method="post" action="/admin/accounts/{{id}}/disable"><input type="hidden" name="csrf" value="{{csrf}}">\
        <button type="submit" class="compact" id="admin-disable">Disable</button></form>
        <p class="muted">Disabling ends every session and signs the person out of every site at once.</p>{{/disabled}}
        </div>
        <div class="panel">
        <h2>Sessions</h2>
        <ul class="notes">
        {{#sessions}}<li><span>Signed in {{signedIn}} ({{method}}) · seen {{lastSeen}}</span>\
        <form method="post" action="/admin/accounts/{{accountId}}/sessions/end"><input type="hidden" name="csrf" value="{{csrf}}">\
        <input type="hidden" name="session" value="{{id}}"><button type="submit" class="link">End</button></form></li>{{/sessions}}
        {{^sessions}}<li class="muted">No live session.</li>{{/sessions}}
        </ul>
        {{#hasSessions}}<form method="post" action="/admin/accounts/{{id}}/sessions/end"><input type="hidden" name="csrf" value="{{csrf}}">\
        <button type="submit" class="alternative" id="admin-end-sessions">End every session</button></form>{{/hasSessions}}
        </div>
        <div class="panel">
        <h2>Sites signed in to</h2>
        <ul class="notes">
        {{#grants}}<li><span>{{client}} · {{scope}} · since {{created}}</span>\
        <form method="post" action="/admin/accounts/{{accountId}}/grants/revoke"><input type="hidden" name="csrf" value="{{csrf}}">\
        <input type="hidden" name="grant" value="{{id}}"><button type="submit" class="link">Revoke</button></form></li>{{/grants}}
        {{^grants}}<li class="muted">None.</li>{{/grants}}
        </ul>
        </div>
        <div class="panel">
        <h2>Passkeys</h2>
        <ul class="notes">
        {{#passkeys}}<li><span>{{name}}</span><span class="muted">added {{created}}</span></li>{{/passkeys}}
        {{^passkeys}}<li class="muted">None.</li>{{/passkeys}}
        </ul>
        </div>
        <div class="panel">
        <h2>Recent events</h2>
        <ul class="notes">
        {{#events}}<li><span>{{kind}}</span><span class="muted">{{at}} {{detail}}</span></li>{{/events}}
        {{^events}}<li class="muted">None.</li>{{/events}}
        </ul>
        <p><a href="/admin/audit?account={{id}}">The whole trail of this account</a></p>
        </div>
        <div class="panel">
        <h2>Erase</h2>
        <p>Erasing deletes the person's data for good and ends everything they hold; the audit trail keeps a pseudonym.</p>
        <form method="post" action="/admin/accounts/{{id}}/erase"><input type="hidden" name="csrf" value="{{csrf}}">
        <label><input type="checkbox" name="confirm" value="erase" required id="admin-erase-confirm"> I want to erase {{email}}</label>
        <button type="submit" class="alternative" id="admin-erase">Erase this account</button>
        </form>
        </div>
        """

    static let audit = """
        <h1>Audit trail</h1>
        <form method="get" action="/admin/audit">
        <label for="account">Account id</label><input id="account" name="account" value="{{account}}">
        <label for="client">Client id</label><input id="client" name="client" value="{{client}}">
        <label for="kind">Kind</label><input id="kind" name="kind" value="{{kind}}" placeholder="signed_in, code_failed, …">
        <button type="submit" id="admin-filter">Filter</button>
        </form>
        <ul class="notes" id="admin-events">
        {{#events}}<li><span>{{kind}} <span class="muted">{{email}} {{client}}</span></span><span class="muted">{{at}} {{detail}}</span></li>{{/events}}
        {{^events}}<li class="muted">No event matches.</li>{{/events}}
        </ul>
        {{#next}}<p><a href="/admin/audit?{{next}}">Older</a></p>{{/next}}
        """

    /// A page outside the console's layout: not an admin, or the sign-in could not finish.
    static let message = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <link rel="stylesheet" href="/assets/login.css">
        </head>
        <body>
        <main class="card">
        <h1>{{title}}</h1>
        <p>{{text}}</p>
        <p><a href="/admin">Try again</a></p>
        </main>
        </body>
        </html>
        """
}
