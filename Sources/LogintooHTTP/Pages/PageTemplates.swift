/// The hosted pages' Mustache templates. Every value is HTML-escaped by `{{…}}`; only `content` is trusted markup.
enum PageTemplates {
    static let layout = """
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{title}}{{#productName}} · {{productName}}{{/productName}}</title>
        <link rel="stylesheet" href="/assets/login.css">
        {{#brandStylesheet}}<link rel="stylesheet" href="{{brandStylesheet}}">{{/brandStylesheet}}
        {{#themeStylesheet}}<link rel="stylesheet" href="{{themeStylesheet}}">{{/themeStylesheet}}
        </head>
        <body>
        <main class="card">
        {{#logoURL}}<img class="logo" src="{{logoURL}}" alt="{{logoAlt}}">{{/logoURL}}
        {{{content}}}
        {{#footer}}<footer class="brand">{{#privacy}}<a href="{{href}}">{{text}}</a>{{/privacy}}\
        {{#terms}}<a href="{{href}}">{{text}}</a>{{/terms}}</footer>{{/footer}}
        </main>
        </body>
        </html>
        """

    static let email = """
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <form method="post" action="/login/email" novalidate>
        <input type="hidden" name="tx" value="{{tx}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="email">{{label}}</label>
        <input id="email" type="email" name="email" autocomplete="username webauthn" required autofocus value="{{email}}"\
        {{#error}} aria-invalid="true" aria-describedby="email-error"{{/error}}>
        {{#error}}<p id="email-error" class="error" role="alert">{{error}}</p>{{/error}}
        <button type="submit">{{submit}}</button>
        </form>
        {{> passkeySignIn}}
        {{#account}}<p class="muted"><a href="/account">{{account}}</a></p>{{/account}}
        """

    /// The passkey button of the login pages, hidden until the script finds WebAuthn; its `data-` values are what the
    /// script posts (the sign-in and its CSRF token) and the message it shows when a passkey does not work.
    static let passkeySignIn = """
        <div id="passkey" data-tx="{{tx}}" data-csrf="{{csrf}}" data-error="{{passkeyError}}"{{^passkeyOnly}} hidden{{/passkeyOnly}}>
        <button type="button" id="passkey-sign-in"{{^passkeyOnly}} class="alternative"{{/passkeyOnly}}>{{passkeyButton}}</button>
        <p id="passkey-error" class="error" role="alert" hidden></p>
        </div>
        <script src="/assets/login.js" defer></script>
        """

    /// The login page of a sign-in that requires a passkey (`acr_values=phr`): no email form; the passkey, or back to the
    /// site, which then hears that the requirement was not met.
    static let passkeyOnly = """
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{> passkeySignIn}}
        <form method="post" action="/login/abandon">
        <input type="hidden" name="tx" value="{{tx}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="link">{{back}}</button>
        </form>
        """

    /// After an email sign-in in a browser that can make passkeys: create one, or not now; both continue to the client
    /// with the sign-in's code, renewed (`/login/continue`). Without the script, both buttons simply continue.
    static let passkeyOffer = """
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <form method="post" action="/login/continue" id="passkey-offer" data-csrf="{{csrf}}" data-error="{{error}}">
        <input type="hidden" name="code" value="{{code}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="passkey-create" name="choice" value="create">{{create}}</button>
        <p id="passkey-error" class="error" role="alert" hidden></p>
        <button type="submit" id="passkey-skip" name="choice" value="decline" class="link">{{skip}}</button>
        </form>
        <script src="/assets/login.js" defer></script>
        """

    /// An emailed code's field, its error or notice, and the submit button: the sign-in's code and the account deletion's.
    static let codeField = """
        <label for="code">{{label}}</label>
        <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]*" maxlength="16" required\
         autofocus{{#error}} aria-invalid="true" aria-describedby="code-error"{{/error}}>
        {{#error}}<p id="code-error" class="error" role="alert">{{error}}</p>{{/error}}
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <button type="submit">{{submit}}</button>
        """

    static let code = """
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <form method="post" action="/login/code" novalidate>
        <input type="hidden" name="tx" value="{{tx}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="passkey_capable" value="">
        {{> codeField}}
        </form>
        {{#linkHint}}<p class="muted">{{linkHint}}</p>
        <form method="post" action="/login/complete" id="complete" data-status="/login/status?tx={{tx}}">
        <input type="hidden" name="tx" value="{{tx}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="passkey_capable" value="">
        <button type="submit" class="link">{{continue}}</button>
        </form>{{/linkHint}}
        <script src="/assets/login.js" defer></script>
        <div class="secondary">
        <form method="post" action="/login/resend">
        <input type="hidden" name="tx" value="{{tx}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="link">{{resend}}</button>
        </form>
        <form method="post" action="/login/restart">
        <input type="hidden" name="tx" value="{{tx}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="link">{{restart}}</button>
        </form>
        </div>
        """

    static let message = """
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        {{#link}}<p><a href="{{href}}">{{text}}</a></p>{{/link}}
        """

    static let link = """
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <form method="post" action="/login/link" novalidate>
        <input type="hidden" name="t" value="{{token}}">
        <input type="hidden" name="passkey_capable" value="">
        {{#askNumber}}<label for="number">{{numberLabel}}</label>
        <input id="number" name="number" inputmode="numeric" pattern="[0-9]*" maxlength="2" autocomplete="off" required autofocus>
        {{/askNumber}}
        <button type="submit">{{submit}}</button>
        </form>
        <script src="/assets/login.js" defer></script>
        """

    static let notMe = """
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <form method="post" action="/login/not-me">
        <input type="hidden" name="t" value="{{token}}">
        <button type="submit">{{submit}}</button>
        </form>
        """

    static let passkeyNotMe = """
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        <form method="post" action="/passkeys/not-me">
        <input type="hidden" name="t" value="{{token}}">
        <button type="submit">{{submit}}</button>
        </form>
        """

    static let logoutConfirm = """
        <h1>{{heading}}</h1>
        <p>{{text}}{{#returnTo}} {{returnTo}}{{/returnTo}}</p>
        <form method="post" action="/logout">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#postLogoutRedirectUri}}<input type="hidden" name="post_logout_redirect_uri" value="{{postLogoutRedirectUri}}">{{/postLogoutRedirectUri}}
        {{#clientId}}<input type="hidden" name="client_id" value="{{clientId}}">{{/clientId}}
        {{#state}}<input type="hidden" name="state" value="{{state}}">{{/state}}
        <button type="submit">{{submit}}</button>
        </form>
        """

    static let stylesheet = """
        :root { color-scheme: light dark; --accent: #2457d6; --accent-text: #2457d6; --error: #c62828; }
        @media (prefers-color-scheme: dark) { :root { --accent-text: #8ab4f8; --error: #f28b82; } }
        * { box-sizing: border-box; }
        body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; display: flex;
          justify-content: center; padding: 8vh 16px; background: Canvas; color: CanvasText; }
        .card { width: 100%; max-width: 420px; }
        .card.wide { max-width: 720px; }
        h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
        label { display: block; font-weight: 600; margin: 1.25rem 0 .35rem; }
        input { width: 100%; font: inherit; padding: .7rem .8rem; border: 1px solid #8a8a8a; border-radius: 8px; }
        input#code { letter-spacing: .25em; font-variant-numeric: tabular-nums; }
        input:focus, button:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        input[aria-invalid="true"] { border-color: var(--error); }
        button { margin-top: 1rem; width: 100%; font: inherit; font-weight: 600; padding: .7rem; border: 0; border-radius: 8px;
          background: var(--accent); color: #fff; cursor: pointer; }
        button.alternative { background: none; color: var(--accent-text); border: 1px solid var(--accent-text); }
        button.link { width: auto; background: none; color: var(--accent-text); padding: .25rem 0; text-decoration: underline; }
        .secondary { display: flex; gap: 1.5rem; margin-top: 1rem; }
        nav.secondary { flex-wrap: wrap; align-items: baseline; margin: 0 0 1rem; }
        nav.secondary button.link, ul.notes button.link { margin-top: 0; }
        .error { color: var(--error); margin: .4rem 0 0; }
        .notice { margin: .4rem 0 0; }
        pre { white-space: pre-wrap; word-break: break-all; background: #8881; padding: .75rem; border-radius: 8px; font-size: .85rem; }
        .panel { border: 1px solid #8884; border-radius: 12px; padding: 1rem 1.25rem; margin: 1.25rem 0; }
        .panel h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
        button.compact { width: auto; padding: .5rem 1.25rem; }
        .row { display: flex; gap: .5rem; align-items: center; }
        .row input { flex: 1; }
        .row button { width: auto; margin-top: 0; padding: .7rem 1rem; }
        ul.notes { list-style: none; padding: 0; margin: .75rem 0 0; }
        ul.notes li { display: flex; justify-content: space-between; gap: 1rem; padding: .5rem 0; border-top: 1px solid #8883;
          word-break: break-word; }
        ul.notes li > form { flex-shrink: 0; }
        ul.notes li button.link { margin-top: 0; }
        section.part > h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
        .muted { opacity: .7; font-size: .9rem; }
        img.logo { display: block; max-width: 200px; max-height: 48px; width: auto; height: auto; margin: 0 0 1.25rem; }
        footer.brand { display: flex; flex-wrap: wrap; gap: 1.5rem; margin-top: 2rem; font-size: .9rem; }
        footer.brand a { color: var(--accent-text); }
        details summary { cursor: pointer; font-weight: 600; margin-top: .75rem; }
        @media (max-width: 480px) { body { padding: 4vh 12px; font-size: 16px; } .panel { padding: .75rem; } }
        """
}
