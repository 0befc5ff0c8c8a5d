/// The account page's Mustache templates: the person's passkeys, sessions and sites, and deleting the account. Every
/// form posts the session's CSRF token; a row's button names its row for screen readers (`aria-label`), since every
/// row's button reads the same.
enum AccountPageTemplates {
    static let account = """
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <section class="part" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">{{passkeysHeading}}</h2>
        {{^passkeys}}<p class="muted">{{none}}</p>{{/passkeys}}
        {{#passkeys}}<div class="panel">
        <form method="post" action="/account/passkeys/rename" class="row">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="id" value="{{id}}">
        <input name="name" value="{{name}}" maxlength="64" required aria-label="{{nameLabel}}">
        <button type="submit">{{renameLabel}}</button>
        </form>
        <p class="muted">{{created}} · {{lastUsed}}</p>
        <form method="post" action="/account/passkeys/remove">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="id" value="{{id}}">
        <button type="submit" class="link">{{removeLabel}}</button>
        </form>
        </div>{{/passkeys}}
        </section>
        <section class="part" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{{sessionsHeading}}</h2>
        <p class="muted">{{sessionsIntro}}</p>
        <ul class="notes" id="sessions">
        {{#sessions}}<li{{#thisBrowser}} aria-current="true"{{/thisBrowser}}>
        <div><strong>{{browser}}</strong>{{#thisBrowser}} · <em>{{thisBrowserLabel}}</em>{{/thisBrowser}}
        <br><span class="muted">{{place}} · {{signedIn}} · {{lastSeen}}</span></div>
        <form method="post" action="/account/sessions/end">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="session" value="{{id}}">
        <button type="submit" class="link" aria-label="{{endLabel}}">{{end}}</button>
        </form>
        </li>{{/sessions}}
        </ul>
        <form method="post" action="/account/sessions/end-all">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="alternative">{{endAll}}</button>
        </form>
        </section>
        <section class="part" aria-labelledby="sites-heading">
        <h2 id="sites-heading">{{sitesHeading}}</h2>
        {{^sites}}<p class="muted">{{noSites}}</p>{{/sites}}
        <ul class="notes" id="sites">
        {{#sites}}<li>
        <div><strong>{{name}}</strong><br><span class="muted">{{since}}</span></div>
        <form method="post" action="/account/sites/sign-out">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="client" value="{{id}}">
        <button type="submit" class="link" aria-label="{{signOutLabel}}">{{signOut}}</button>
        </form>
        </li>{{/sites}}
        </ul>
        </section>
        <section class="part" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{{deleteHeading}}</h2>
        <p>{{deleteText}}</p>
        <form method="post" action="/account/delete">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="alternative">{{deleteButton}}</button>
        </form>
        </section>
        """

    /// The emailed code that confirms deleting the account; wrong entries say how many attempts are left.
    static let deletion = """
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <form method="post" action="/account/delete/confirm" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{> codeField}}
        </form>
        <p class="muted"><a href="/account">{{back}}</a></p>
        """
}
