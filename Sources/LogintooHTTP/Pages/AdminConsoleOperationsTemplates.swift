/// The admin console's client, signing-key and outbox pages (Mustache, escaped by default), rendered inside
/// `AdminConsoleTemplates.layout` with the login pages' stylesheet.
enum AdminConsoleOperationsTemplates {
    /// Every template by the name `AdminConsoleEndpoints` registers it under.
    static let all = ["clients": clients, "client": client, "clientFields": clientFields, "clientSecret": clientSecret,
                      "keys": keys, "outbox": outbox, "outcome": outcome]

    /// The console's additions to the login pages' style sheet: its form's text areas, choices and checkboxes.
    static let stylesheet = """
        textarea, select { width: 100%; font: inherit; padding: .7rem .8rem; border: 1px solid #8a8a8a; border-radius: 8px;
          background: Canvas; color: CanvasText; }
        textarea { min-height: 5.5rem; font-family: ui-monospace, monospace; font-size: .9rem; }
        textarea:focus, select:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        textarea[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--error); }
        label > input[type="checkbox"] { width: auto; margin: 0 .5rem 0 0; padding: 0; }
        code { word-break: break-all; }
        """

    /// One client's fields as form controls; `readOnly` (the built-in client) disables them, `error` marks the refused one.
    static let clientFields = """
        {{#fields}}
        {{#checkbox}}<label><input type="checkbox" name="{{name}}" id="field-{{name}}" value="on"{{#checked}} checked{{/checked}}\
        {{#readOnly}} disabled{{/readOnly}}{{#error}} aria-invalid="true" aria-describedby="error-{{name}}"{{/error}}> {{label}}</label>{{/checkbox}}
        {{^checkbox}}<label for="field-{{name}}">{{label}}</label>{{/checkbox}}
        {{#text}}<input id="field-{{name}}" name="{{name}}" value="{{value}}"{{#readOnly}} readonly{{/readOnly}}\
        {{#error}} aria-invalid="true" aria-describedby="error-{{name}}"{{/error}}>{{/text}}
        {{#number}}<input id="field-{{name}}" name="{{name}}" value="{{value}}" inputmode="numeric" placeholder="server default"\
        {{#readOnly}} readonly{{/readOnly}}{{#error}} aria-invalid="true" aria-describedby="error-{{name}}"{{/error}}>{{/number}}
        {{#lines}}<textarea id="field-{{name}}" name="{{name}}" rows="3" spellcheck="false"{{#readOnly}} readonly{{/readOnly}}\
        {{#error}} aria-invalid="true" aria-describedby="error-{{name}}"{{/error}}>{{value}}</textarea>{{/lines}}
        {{#choice}}<select id="field-{{name}}" name="{{name}}"{{#readOnly}} disabled{{/readOnly}}\
        {{#error}} aria-invalid="true" aria-describedby="error-{{name}}"{{/error}}>\
        {{#options}}<option value="{{optionValue}}"{{#selected}} selected{{/selected}}>{{optionLabel}}</option>{{/options}}</select>{{/choice}}
        {{#hint}}<p class="muted">{{hint}}</p>{{/hint}}
        {{#error}}<p class="error" role="alert" id="error-{{name}}">{{name}}: {{error}}</p>{{/error}}
        {{/fields}}
        """

    static let clients = """
        <h1>Clients</h1>
        <ul class="notes" id="admin-clients">
        {{#clients}}<li><span><a href="/admin/clients/{{id}}">{{name}}</a> <span class="muted">{{id}}</span></span>\
        <span class="muted">{{kind}} · {{redirects}}</span></li>{{/clients}}
        </ul>
        <div class="panel">
        <h2>New client</h2>
        {{#refusal}}<p class="error" role="alert" id="admin-error">Not created: {{refusal}}</p>{{/refusal}}
        <form method="post" action="/admin/clients"><input type="hidden" name="csrf" value="{{csrf}}">
        {{> clientFields}}
        <button type="submit" id="admin-new-client">Create the client</button>
        </form>
        </div>
        """

    static let client = """
        <h1 id="admin-client-name">{{clientName}}</h1>
        <p class="muted">Client <span id="admin-client-id">{{id}}</span> · created {{created}} · {{kind}}</p>
        {{#readOnly}}<p class="notice" id="admin-built-in">This is the console's own client: the server writes it at every start, \
        so it is shown here and changed nowhere.</p>{{/readOnly}}
        {{#refusal}}<p class="error" role="alert" id="admin-error">Nothing changed: {{refusal}}</p>{{/refusal}}
        <form method="post" action="/admin/clients/{{id}}"><input type="hidden" name="csrf" value="{{csrf}}">
        {{> clientFields}}
        {{^readOnly}}<button type="submit" id="admin-client-save">Save</button>{{/readOnly}}
        </form>
        {{^readOnly}}
        {{#confidential}}<div class="panel">
        <h2>Secret</h2>
        <p>A new secret is shown once; the old one stops working at once.</p>
        <form method="post" action="/admin/clients/{{id}}/secret"><input type="hidden" name="csrf" value="{{csrf}}">\
        <button type="submit" class="compact" id="admin-rotate-secret">Rotate secret</button></form>
        </div>{{/confidential}}
        <div class="panel">
        <h2>Remove</h2>
        <p>Removing the client revokes every sign-in and token issued to it.</p>
        <form method="post" action="/admin/clients/{{id}}/remove"><input type="hidden" name="csrf" value="{{csrf}}">
        <label><input type="checkbox" name="confirm" value="remove" required id="admin-remove-confirm"> I want to remove {{clientName}}</label>
        <button type="submit" class="alternative" id="admin-remove-client">Remove this client</button>
        </form>
        </div>
        {{/readOnly}}
        """

    /// A client and the secret just made for it: shown this once, never again.
    static let clientSecret = """
        <h1>{{heading}}</h1>
        <p>Client id: <code id="admin-client-id">{{id}}</code></p>
        {{#secret}}<p>Its secret, shown this once: copy it now.</p>
        <pre id="admin-client-secret">{{secret}}</pre>{{/secret}}
        {{^secret}}<p>A public client has no secret: it signs people in with PKCE.</p>{{/secret}}
        <p><a href="/admin/clients/{{id}}" id="admin-client-link">On to the client</a></p>
        """

    static let keys = """
        <h1>Signing keys</h1>
        <ul class="notes" id="admin-keys">
        {{#keys}}<li><span><code>{{kid}}</code> <span class="muted">{{alg}}</span></span>\
        <span class="muted"><strong>{{state}}</strong> · created {{created}} · signs from {{activates}}</span></li>{{/keys}}
        {{^keys}}<li class="muted">No key yet: the server makes one at start.</li>{{/keys}}
        </ul>
        <div class="panel">
        <h2>Rotate</h2>
        <p>A new key is published at once and signs after the delay, so every instance and resource server has it first.</p>
        <form method="post" action="/admin/keys/rotate"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="activate_in">Signs after (seconds, 0 to 86400)</label>
        <input id="activate_in" name="activate_in" value="{{delay}}" inputmode="numeric"\
        {{#refusal}} aria-invalid="true" aria-describedby="activate-in-error"{{/refusal}}>
        {{#refusal}}<p class="error" role="alert" id="activate-in-error">activate_in: {{refusal}}</p>{{/refusal}}
        <button type="submit" id="admin-rotate-key">Rotate now</button>
        </form>
        </div>
        """

    /// Undelivered emails, never their content.
    static let outbox = """
        <h1>Outbox</h1>
        <p class="muted">Emails waiting to be sent, retried or given up on; their content is never shown.</p>
        <ul class="notes" id="admin-outbox">
        {{#messages}}<li><span>{{recipient}} <span class="muted">{{state}} · created {{created}} · {{attempts}} attempt(s)\
        {{#next}} · next {{next}}{{/next}}{{#lastError}} · last error: {{lastError}}{{/lastError}}</span></span>\
        {{#retriable}}<form method="post" action="/admin/outbox/{{id}}/retry"><input type="hidden" name="csrf" value="{{csrf}}">\
        <button type="submit" class="link" id="admin-retry-{{id}}">Retry</button></form>{{/retriable}}</li>{{/messages}}
        {{^messages}}<li class="muted" id="admin-outbox-empty">Every email was sent.</li>{{/messages}}
        </ul>
        """

    /// What an action could not do, inside the console.
    static let outcome = """
        <h1>{{heading}}</h1>
        <p id="admin-outcome">{{text}}</p>
        <p><a href="{{back}}">Back</a></p>
        """
}
