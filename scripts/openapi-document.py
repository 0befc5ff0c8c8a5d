"""Writes the OpenAPI 3.1 document of every endpoint into Sources/LogintooHTTP/Endpoints/OpenAPIDocument.swift, which
the server serves at /openapi.json. Edit the description here, run `python3 scripts/openapi-document.py`, commit both;
Tests/acceptance/test_openapi.py fails when they disagree."""
import json
import pathlib
import sys

def html(desc): return {"description": desc, "content": {"text/html": {"schema": {"type": "string"}}}}
def js(desc, schema): return {"description": desc, "content": {"application/json": {"schema": schema}}}
def jwks(desc): return {"description": desc, "content": {"application/jwk-set+json": {"schema": ref("JWKS")}}}
def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def redirect(desc): return {"description": desc, "headers": {"Location": {"schema": {"type": "string"}, "required": True}}}
def form(schema): return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": schema}}}
def q(name, desc, required=False, schema=None): return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema or {"type": "string"}}
S = {"type": "string"}
PAGE_ERRORS_FULL = {"400": html("The request cannot continue: a page explains why; nothing changed."),
               "404": html("No such page."), "503": html("The database is unreachable; nothing changed.")}

def rref(name): return {"$ref": f"#/components/responses/{name}"}
SHARED = {}
def shared(name, response):
    SHARED[name] = response
    return rref(name)
OAUTH_ERRORS_FULL = {"400": js("RFC 6749 §5.2 error.", ref("OAuthError")),
                "401": {"description": "Client authentication failed (`invalid_client`).",
                        "headers": {"WWW-Authenticate": {"schema": S}},
                        "content": {"application/json": {"schema": ref("OAuthError")}}},
                "413": js("The body is larger than 16 KiB.", ref("OAuthError")),
                "415": js("The body is not application/x-www-form-urlencoded.", ref("OAuthError")),
                "503": js("`temporarily_unavailable`: the database is unreachable; nothing changed.", ref("OAuthError"))}
OAUTH_ERRORS = {status: shared(f"OAuth{status}", response) for status, response in OAUTH_ERRORS_FULL.items()}
PAGE_ERRORS = {status: shared(f"Page{status}", response) for status, response in PAGE_ERRORS_FULL.items()}
login_form = lambda extra: form({"type": "object", "required": ["tx", "csrf"], "properties": {"tx": S, "csrf": S, **extra}})
LOGIN_POST = {"303": redirect("On to the next page of the sign-in."), **PAGE_ERRORS}
PASSKEY_CAPABLE = {"type": "string", "description": "1 when the page's script found a platform authenticator: a passkey may be offered"}
PASSKEY_OFFER = html("Signed in, in a browser able to make a passkey: the offer to create one (the session cookie is set).")
def passkey_body(properties, required):
    return {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": required, "properties": properties}}}}
ACCOUNT_POST = {"303": redirect("Back to /account."), "403": html("Not signed in, or not this session's form."),
                **PAGE_ERRORS}
PASSKEY_ERRORS = {"400": js("Refused and nothing changed: `expired` (no such sign-in or session here, or not the page's own post) or "
                            "`refused` (the passkey's checks failed).", ref("Problem")),
                  "503": html("The database is unreachable; nothing changed.")}
preflight = {"responses": {"204": {"description": "CORS preflight answer."}}, "summary": "CORS preflight."}
DPOP_PROOF = {"name": "DPoP", "in": "header", "required": False, "schema": S,
              "description": "A DPoP proof JWT (RFC 9449 §4): typ dpop+jwt, the public jwk, htm, htu, iat, jti, nonce, and ath at a resource."}
DPOP_NONCE = {"schema": S, "description": "The nonce the next DPoP proof must carry (RFC 9449 §8), while nonces are required."}
LEGACY_ERR = shared("LogintooError", js("Error of the Logintoo JSON API.", ref("LogintooError")))
def legacy(summary, body, ok, extra=None):
    responses = {**ok, "400": LEGACY_ERR, "401": LEGACY_ERR, "403": LEGACY_ERR, "413": LEGACY_ERR, "503": LEGACY_ERR}
    return {"summary": summary, "tags": ["Logintoo JSON API"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": body}, "text/plain": {"schema": body}}},
            "responses": responses}
auth_body = {"type": "object", "required": ["client_id", "code_challenge", "code_challenge_method", "email", "redirect_uri", "response_type", "state"],
             "properties": {"client_id": {"type": "string", "format": "uuid"}, "code_challenge": S, "code_challenge_method": {"type": "string", "enum": ["S256"]},
                            "email": {"type": "string", "format": "email"}, "redirect_uri": {"type": "string", "format": "uri"},
                            "response_type": {"type": "string", "enum": ["code"]}, "state": S, "language": S, "locale": S}}
otp_body = {"type": "object", "required": ["client_id", "code_challenge", "email", "otp"],
            "properties": {"client_id": S, "code_challenge": S, "email": S, "otp": S}}
legacy_token_body = {"type": "object", "properties": {"grant_type": S, "code": S, "redirect_uri": S, "client_id": S, "code_verifier": S, "refresh_token": S}}
legacy_revoke_body = {"type": "object", "properties": {"refresh_token": S, "client_id": S, "client_secret": S}}
paths = {}
PATH_ITEMS = {}
for version in ["2026-06"]:
    base = "/" + version
    paths[base + "/auth"] = {"post": legacy("Email a one-time code (same answer for every address).", auth_body,
                                            {"200": js("Accepted.", ref("LogintooStatus"))}), "options": preflight}
    paths[base + "/otp"] = {"post": legacy("Check a one-time code; redirects to the client with an authorization code.", otp_body,
                                           {"302": {"description": "Signed in.", "headers": {"Location": {"schema": S}},
                                                    "content": {"application/json": {"schema": {"type": "object"}}}}}), "options": preflight}
    token_ok = {"200": js("Tokens.", ref("LogintooTokens"))}
    paths[base + "/token"] = {
        "post": {**legacy("Exchange an authorization code.", legacy_token_body, token_ok),
                 "requestBody": {"required": True, "content": {"application/json": {"schema": legacy_token_body},
                                                              "application/x-www-form-urlencoded": {"schema": legacy_token_body}}}},
        "patch": legacy("Rotate a refresh token.", legacy_token_body, token_ok),
        "delete": {**legacy("Revoke a refresh token's grant; a confidential client's token only with its credentials (Basic or body).",
                            legacy_revoke_body, {"200": js("Revoked (also when already revoked).", ref("LogintooStatus"))}),
                   "security": [{}, {"clientSecretBasic": []}]},
        "options": preflight}
for name in ("auth", "otp", "token"):
    PATH_ITEMS["Logintoo" + name.capitalize()] = paths.pop("/2026-06/" + name)
    for version in ["2020-11", "2026-06"]:
        paths[f"/{version}/{name}"] = {"$ref": f"#/components/pathItems/Logintoo{name.capitalize()}"}
passkey_options_body = {"type": "object", "required": ["client_id", "code_challenge", "code_challenge_method", "redirect_uri", "response_type", "state"],
                        "properties": {k: v for k, v in auth_body["properties"].items() if k != "email"}}
PAGE_ORIGIN = (" The page runs the ceremony on its own origin: one of the client's redirect URIs' origins whose host is the RP ID or "
               "under it (or the issuer's).")
paths["/2026-06/webauthn/authentication/options"] = {"post": legacy(
    "Start a passkey sign-in on the client's own login page: options for navigator.credentials.get." + PAGE_ORIGIN,
    passkey_options_body, {"200": js("PublicKeyCredentialRequestOptionsJSON.", ref("PasskeyRequestOptions"))}), "options": preflight}
paths["/2026-06/webauthn/authentication"] = {"post": legacy(
    "Sign in with a passkey; redirects to the client with an authorization code, as /otp does (no mail is sent).",
    {"type": "object", "required": ["client_id", "code_challenge", "credential"],
     "properties": {"client_id": S, "code_challenge": S, "credential": ref("PasskeyAssertion")}},
    {"302": {"description": "Signed in.", "headers": {"Location": {"schema": S}},
             "content": {"application/json": {"schema": {"type": "object"}}}}}), "options": preflight}
paths["/2026-06/webauthn/registration/options"] = {"post": legacy(
    "Options for navigator.credentials.create, for the account of public client `client_id`'s current `refresh_token`, "
    "from a sign-in through this API less than 10 minutes old." + PAGE_ORIGIN,
    {"type": "object", "required": ["client_id", "refresh_token"], "properties": {"client_id": S, "refresh_token": S}},
    {"200": js("PublicKeyCredentialCreationOptionsJSON.", ref("PasskeyCreationOptions"))}), "options": preflight}
paths["/2026-06/webauthn/registration"] = {"post": legacy(
    "Add a passkey to the account of `refresh_token`; the account is emailed a notice with 'this wasn't me'.",
    {"type": "object", "required": ["client_id", "refresh_token", "credential"],
     "properties": {"client_id": S, "refresh_token": S, "credential": ref("PasskeyRegistration"), "name": S}},
    {"201": js("Added.", {"type": "object", "required": ["name"], "properties": {"name": S, "statusMessage": S}})}), "options": preflight}
paths["/2026-06/jwks"] = {"get": {"summary": "The public signing keys (Logintoo JSON API path).", "tags": ["Logintoo JSON API"],
                                  "responses": {"200": jwks("JWK Set.")}}, "options": preflight}
token_form = {"type": "object", "required": ["grant_type"], "properties": {
    "grant_type": {"type": "string", "enum": ["authorization_code", "refresh_token", "client_credentials"]}, "code": S, "redirect_uri": S,
    "code_verifier": S, "refresh_token": S, "client_id": S, "client_secret": S, "scope": S, "resource": S}}
for version in ["2020-11", "2026-06"]:
    paths[f"/{version}/"] = {"get": {"summary": "The original Logintoo login page's address (`?client_id=…`), sent on to /authorize.",
                                     "tags": ["Logintoo JSON API"], "parameters": [q("client_id", "The client")],
                                     "responses": {"303": redirect("To /authorize."), "404": html("No client_id.")}}}
paths.update({
    "/": {"get": {"summary": "The demo, or the original Logintoo login URL (`?client_id=…`) sent on to /authorize.",
                  "parameters": [q("client_id", "Original Logintoo login URL")],
                  "responses": {"303": redirect("To /demo or /authorize."), **PAGE_ERRORS}}},
    "/.well-known/openid-configuration": {"get": {"summary": "OpenID Connect Discovery metadata.", "tags": ["Discovery"],
        "responses": {"200": js("Metadata.", ref("Metadata"))}}, "options": preflight},
    "/.well-known/oauth-authorization-server": {"get": {"summary": "RFC 8414 metadata (the same document).", "tags": ["Discovery"],
        "responses": {"200": js("Metadata.", ref("Metadata"))}}, "options": preflight},
    "/.well-known/jwks.json": {"get": {"summary": "The public signing keys.", "tags": ["Discovery"],
        "responses": {"200": jwks("JWK Set.")}}, "options": preflight},
    "/openapi.json": {"get": {"summary": "This document.", "tags": ["Discovery"],
        "responses": {"200": js("OpenAPI 3.1 document.", {"type": "object"})}}},
    "/authorize": {"get": {"summary": "Start a sign-in (authorization code flow with PKCE S256).", "tags": ["OAuth"],
        "parameters": [q(n, d) for n, d in [("response_type", "code"), ("client_id", "Registered client"), ("redirect_uri", "Exactly as registered"),
                       ("scope", "openid email offline_access"), ("state", "Opaque to the server"), ("nonce", "Copied into the ID token"),
                       ("code_challenge", "BASE64URL(SHA-256(verifier))"), ("code_challenge_method", "S256"),
                       ("prompt", "none or login"), ("ui_locales", "Preferred languages"), ("resource", "RFC 8707 API identifier"),
                       ("login_hint", "An email address"), ("max_age", "Seconds"),
                       ("request_uri", "From /par (RFC 9126): it stands for the pushed request, whose parameters replace all "
                                       "others but client_id; once, within 60 seconds, by the client that pushed it")]],
        "responses": {"303": redirect("To the login page, or back to the client with `code` or `error`, and `iss`."), **PAGE_ERRORS}}},
    "/login": {"get": {"summary": "The hosted email or code page of a sign-in.", "tags": ["Login pages"],
        "parameters": [q("tx", "The sign-in"), q("sent", "1 after a code was sent")],
        "responses": {"200": html("The page."), "303": redirect("On to /authorize (original Logintoo URLs)."), **PAGE_ERRORS}}},
    "/login/email": {"post": {"summary": "Send a code to an address.", "tags": ["Login pages"],
        "requestBody": login_form({"email": S}), "responses": LOGIN_POST}},
    "/login/code": {"post": {"summary": "Check a code.", "tags": ["Login pages"],
        "requestBody": login_form({"code": S, "passkey_capable": PASSKEY_CAPABLE}),
        "responses": {**LOGIN_POST, "200": PASSKEY_OFFER, "403": html("The account is disabled."),
                      "429": html("Too many wrong codes for this account.")}}},
    "/login/resend": {"post": {"summary": "Send a new code.", "tags": ["Login pages"], "requestBody": login_form({}), "responses": LOGIN_POST}},
    "/login/not-me": {"get": {"summary": "\"This wasn't me\": the confirmation page of an email's link (changes nothing).",
                              "tags": ["Login pages"], "parameters": [q("t", "The link's token", required=True)],
                              "responses": {"200": html("The confirmation form."), **PAGE_ERRORS}},
                      "post": {"summary": "Cancel the address's pending sign-ins and pause its codes for an hour.", "tags": ["Login pages"],
                               "requestBody": form({"type": "object", "required": ["t"], "properties": {"t": S}}),
                               "responses": {"200": html("Cancelled."), **PAGE_ERRORS}}},
    "/login/link": {"get": {"summary": "The emailed magic link's confirmation page (changes nothing).", "tags": ["Login pages"],
                            "parameters": [q("t", "The link's token", required=True)],
                            "responses": {"200": html("The confirmation form."), **PAGE_ERRORS}},
                    "post": {"summary": "Confirm the magic link: signs in here, or approves the browser that asked.",
                             "tags": ["Login pages"],
                             "requestBody": form({"type": "object", "required": ["t"],
                                                  "properties": {"t": S, "number": S, "passkey_capable": PASSKEY_CAPABLE}}),
                             "responses": {"200": html("Approved: the other browser continues; or signed in here, the passkey offer."),
                                           "303": redirect("Signed in: back to the client."), "403": html("The account is disabled."),
                                           **PAGE_ERRORS}}},
    "/login/status": {"get": {"summary": "Whether the sign-in was approved by its magic link on another device.",
                              "tags": ["Login pages"], "parameters": [q("tx", "The sign-in", required=True)],
                              "responses": {"200": js("The status.", {"type": "object", "required": ["approved"],
                                                                     "properties": {"approved": {"type": "boolean"}}}),
                                            "404": js("No such sign-in in this browser.", {"type": "object"}),
                                            "503": html("The database is unreachable.")}}},
    "/login/complete": {"post": {"summary": "Finish a sign-in approved on another device.", "tags": ["Login pages"],
                                 "requestBody": login_form({"passkey_capable": PASSKEY_CAPABLE}),
                                 "responses": {**LOGIN_POST, "200": html("Not approved yet, or signed in: the passkey offer."),
                                                                             "403": html("The account is disabled.")}}},
    "/login/passkey/options": {"post": {"summary": "Options for navigator.credentials.get, for this browser's sign-in (the login page's script).",
        "tags": ["Login pages"], "requestBody": passkey_body({"tx": S, "csrf": S}, ["tx", "csrf"]),
        "responses": {"200": js("PublicKeyCredentialRequestOptionsJSON.", ref("PasskeyRequestOptions")), **PASSKEY_ERRORS}}},
    "/login/passkey": {"post": {"summary": "Sign in with a passkey: sets the sign-in's cookies; the script follows `redirect`.",
        "tags": ["Login pages"],
        "requestBody": passkey_body({"tx": S, "csrf": S, "credential": ref("PasskeyAssertion")}, ["tx", "csrf", "credential"]),
        "responses": {"200": js("Signed in.", {"type": "object", "required": ["redirect"], "properties": {"redirect": S}}),
                      "403": js("The account is disabled.", ref("Problem")), **PASSKEY_ERRORS}}},
    "/login/abandon": {"post": {"summary": "Back to the site from a sign-in that requires a passkey (`unmet_authentication_requirements`).",
        "tags": ["Login pages"], "requestBody": login_form({}),
        "responses": {"303": redirect("Back to the client with `error`, `state` and `iss`."), **PAGE_ERRORS}}},
    "/login/continue": {"post": {"summary": "On from the passkey offer to the client, with the sign-in's code renewed; `choice=decline` remembers \"Not now\".",
        "tags": ["Login pages"],
        "requestBody": form({"type": "object", "required": ["code", "csrf"], "properties": {"code": S, "csrf": S, "choice": S}}),
        "responses": {"303": redirect("Back to the client with a fresh code."), **PAGE_ERRORS}}},
    "/passkeys/registration/options": {"post": {"summary": "Options for navigator.credentials.create, for the signed-in account (session cookie).",
        "tags": ["Login pages"], "requestBody": passkey_body({"csrf": S}, ["csrf"]),
        "responses": {"200": js("PublicKeyCredentialCreationOptionsJSON.", ref("PasskeyCreationOptions")), **PASSKEY_ERRORS}}},
    "/passkeys/registration": {"post": {"summary": "Add a passkey to the signed-in account (session cookie).", "tags": ["Login pages"],
        "requestBody": passkey_body({"csrf": S, "credential": ref("PasskeyRegistration")}, ["csrf", "credential"]),
        "responses": {"201": js("Added.", {"type": "object", "required": ["name"], "properties": {"name": S}}), **PASSKEY_ERRORS}}},
    "/passkeys/not-me": {"get": {"summary": "\"This wasn't me\": the confirmation page of a \"passkey added\" email's link (changes nothing).",
                                 "tags": ["Login pages"], "parameters": [q("t", "The link's token", required=True)],
                                 "responses": {"200": html("The confirmation form."), **PAGE_ERRORS}},
                         "post": {"summary": "Remove the passkey the email announced and end every session of its account.",
                                  "tags": ["Login pages"],
                                  "requestBody": form({"type": "object", "required": ["t"], "properties": {"t": S}}),
                                  "responses": {"200": html("Removed, signed out everywhere."), **PAGE_ERRORS}}},
    "/account": {"get": {"summary": "The signed-in person's account page (session cookie): passkeys, sessions, sites, deletion.",
        "tags": ["Login pages"], "responses": {"200": html("The account page."), "403": html("Not signed in."), **PAGE_ERRORS}}},
    "/account/sessions/end": {"post": {"summary": "End one of the signed-in person's sessions (`session`: its id on the page).",
        "tags": ["Login pages"],
        "requestBody": form({"type": "object", "required": ["csrf", "session"], "properties": {"csrf": S, "session": S}}),
        "responses": {**ACCOUNT_POST, "200": html("This browser's own session ended: signed out (the cookie is cleared).")}}},
    "/account/sessions/end-all": {"post": {"summary": "End every session of the signed-in person, this browser's too.",
        "tags": ["Login pages"], "requestBody": form({"type": "object", "required": ["csrf"], "properties": {"csrf": S}}),
        "responses": {"200": html("Signed out everywhere (the cookie is cleared)."),
                      "403": html("Not signed in, or not this session's form."), **PAGE_ERRORS}}},
    "/account/sites/sign-out": {"post": {"summary": "Sign the person out of one site: revoke that client's grants of the account.",
        "tags": ["Login pages"],
        "requestBody": form({"type": "object", "required": ["csrf", "client"], "properties": {"csrf": S, "client": S}}),
        "responses": ACCOUNT_POST}},
    "/account/delete": {"post": {"summary": "Email the account's address a code that confirms deleting the account.",
        "tags": ["Login pages"], "requestBody": form({"type": "object", "required": ["csrf"], "properties": {"csrf": S}}),
        "responses": {"200": html("The form for the emailed code."), "403": html("Not signed in, or not this session's form."),
                      **PAGE_ERRORS}}},
    "/account/delete/confirm": {"post": {"summary": "Erase the account with the emailed code (this browser's, once, unexpired).",
        "tags": ["Login pages"],
        "requestBody": form({"type": "object", "required": ["csrf", "code"], "properties": {"csrf": S, "code": S}}),
        "responses": {"200": html("Erased and signed out (the cookie is cleared)."),
                      "400": html("A wrong, expired or malformed code; the form again."),
                      "403": html("Not signed in, or not this session's form."), "404": PAGE_ERRORS["404"],
                      "503": PAGE_ERRORS["503"]}}},
    "/account/passkeys/rename": {"post": {"summary": "Rename one of the signed-in person's passkeys.", "tags": ["Login pages"],
        "requestBody": form({"type": "object", "required": ["csrf", "id", "name"], "properties": {"csrf": S, "id": S, "name": S}}),
        "responses": ACCOUNT_POST}},
    "/account/passkeys/remove": {"post": {"summary": "Remove one of the signed-in person's passkeys.", "tags": ["Login pages"],
        "requestBody": form({"type": "object", "required": ["csrf", "id"], "properties": {"csrf": S, "id": S}}),
        "responses": ACCOUNT_POST}},
    "/login/restart": {"post": {"summary": "Use another address.", "tags": ["Login pages"], "requestBody": login_form({}), "responses": LOGIN_POST}},
    "/token": {"post": {"summary": "Token endpoint: authorization_code, refresh_token, and client_credentials (admin clients, scope admin). "
                        "A DPoP proof (RFC 9449) binds the access token (token_type DPoP, cnf.jkt) and a public client's refresh "
                        "token to its key; proofs must carry the nonce of the DPoP-Nonce header (use_dpop_nonce otherwise).",
        "tags": ["OAuth"], "parameters": [DPOP_PROOF],
        "security": [{}, {"clientSecretBasic": []}], "requestBody": form(token_form),
        "responses": {"200": {**js("Tokens.", ref("TokenResponse")), "headers": {"DPoP-Nonce": DPOP_NONCE}},
                      **OAUTH_ERRORS}}, "options": preflight},
    "/par": {"post": {"summary": "RFC 9126 pushed authorization request: the parameters /authorize takes, checked as it checks "
                      "them, with client authentication as at /token; answers a one-time request_uri for /authorize, "
                      "valid 60 seconds. A request_uri or request parameter is refused.", "tags": ["OAuth"],
        "security": [{}, {"clientSecretBasic": []}],
        "requestBody": form({"type": "object", "required": ["response_type", "redirect_uri"], "properties": {
            n: S for n in ["response_type", "client_id", "client_secret", "redirect_uri", "scope", "state", "nonce", "code_challenge",
                           "code_challenge_method", "prompt", "ui_locales", "resource", "login_hint", "max_age", "acr_values"]}}),
        "responses": {"201": {**js("The request_uri and its lifetime.", ref("PushedAuthorizationResponse")),
                              "headers": {"Cache-Control": {"schema": {"const": "no-store"}}}}, **OAUTH_ERRORS}},
        "options": preflight},
    "/revoke": {"post": {"summary": "RFC 7009 revocation.", "tags": ["OAuth"], "security": [{}, {"clientSecretBasic": []}],
        "requestBody": form({"type": "object", "required": ["token"], "properties": {"token": S, "token_type_hint": S, "client_id": S, "client_secret": S}}),
        "responses": {"200": {"description": "Revoked, or nothing to revoke."}, **OAUTH_ERRORS}}, "options": preflight},
    "/introspect": {"post": {"summary": "RFC 7662 introspection, for confidential clients.", "tags": ["OAuth"], "security": [{"clientSecretBasic": []}],
        "requestBody": form({"type": "object", "required": ["token"], "properties": {"token": S, "token_type_hint": S, "client_id": S, "client_secret": S}}),
        "responses": {"200": js("Whether the token is active, and its claims when it is.", ref("Introspection")), **OAUTH_ERRORS}}},
    "/userinfo": {m: {"summary": "OpenID Connect UserInfo. A DPoP-bound token is accepted only as `Authorization: DPoP` with a "
                                 "proof by its key (ath, htu, htm, nonce), never as a Bearer token.", "tags": ["OAuth"],
                      "security": [{"bearer": []}, {"dpop": []}], "parameters": [DPOP_PROOF],
        "responses": {"200": js("Claims.", ref("UserInfo")),
                      "401": {"description": "No valid access token.", "headers": {"WWW-Authenticate": {"schema": S, "required": True}}},
                      "503": {"description": "The database is unreachable."}}} for m in ("get", "post")},
    "/logout": {"get": {"summary": "RP-initiated logout.", "tags": ["OAuth"],
                        "parameters": [q("id_token_hint", "An ID token"), q("client_id", "The client"),
                                       q("post_logout_redirect_uri", "Registered for the client"), q("state", "Returned")],
                        "responses": {"200": html("Signed out, or a confirmation form."), "303": redirect("To the registered URI."), **PAGE_ERRORS}},
                "post": {"summary": "Confirm a logout.", "tags": ["OAuth"],
                         "requestBody": form({"type": "object", "properties": {"csrf": S, "client_id": S, "post_logout_redirect_uri": S, "state": S}}),
                         "responses": {"200": html("Signed out."), "303": redirect("To the registered URI."), **PAGE_ERRORS}}},
    "/healthz": {"get": {"summary": "Alive.", "tags": ["Operations"], "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": S}}}}}},
    "/readyz": {"get": {"summary": "Ready: database reachable and migrated, not shutting down.", "tags": ["Operations"],
                        "responses": {"200": {"description": "ready", "content": {"text/plain": {"schema": S}}},
                                      "503": {"description": "not ready", "content": {"text/plain": {"schema": S}}}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics (here unless an admin listener serves them).", "tags": ["Operations"],
                         "responses": {"200": {"description": "Prometheus text format.", "content": {"text/plain": {"schema": S}}}}}},
    "/assets/login.js": {"get": {"summary": "The login pages' script (waits for a magic link confirmed elsewhere; passkeys).",
                                 "tags": ["Login pages"],
                                 "responses": {"200": {"description": "JavaScript.", "content": {"text/javascript": {"schema": S}}}}}},
    "/assets/login.css": {"get": {"summary": "The login pages' style sheet.", "tags": ["Login pages"],
                                  "responses": {"200": {"description": "CSS.", "content": {"text/css": {"schema": S}}}}}},
    "/assets/brand.css": {"get": {"summary": "The accent colour of the server, or of client `client` (light and dark variants).",
                                  "tags": ["Login pages"], "parameters": [q("client", "A client id")],
                                  "responses": {"200": {"description": "CSS.", "content": {"text/css": {"schema": S}}}, **PAGE_ERRORS}}},
    "/assets/theme.css": {"get": {"summary": "The operator's theme (LOGINTOO_THEME_DIR/theme.css), when there is one.",
                                  "tags": ["Login pages"],
                                  "responses": {"200": {"description": "CSS.", "content": {"text/css": {"schema": S}}},
                                                "404": html("No theme stylesheet.")}}},
    "/demo": {"get": {"summary": "The demo client (with --demo).", "tags": ["Demo"], "responses": {"200": html("The demo page."), "404": html("Demo off.")}}},
    "/demo/app.js": {"get": {"summary": "The demo client's script.", "tags": ["Demo"],
                             "responses": {"200": {"description": "JavaScript.", "content": {"text/javascript": {"schema": S}}}, "404": html("Demo off.")}}},
})
DEMO_401 = {"description": "No valid access token for the demo API.", "headers": {"WWW-Authenticate": {"schema": S, "required": True}},
            "content": {"application/json": {"schema": {"type": "object"}}}}
DEMO_403 = {**DEMO_401, "description": "The token lacks a scope."}
demo_errors = {"401": DEMO_401, "403": DEMO_403, "404": {"description": "Demo off, or no such note.", "content": {"text/html": {"schema": S}, "application/json": {"schema": ref("Problem")}}}}
paths["/demo/api/me"] = {"get": {"summary": "Who the token is for.", "tags": ["Demo"], "security": [{"bearer": []}],
                                 "responses": {"200": js("The token's subject.", {"type": "object"}), **demo_errors}}}
paths["/demo/api/notes"] = {
    "get": {"summary": "The caller's notes.", "tags": ["Demo"], "security": [{"bearer": []}],
            "responses": {"200": js("Notes.", {"type": "object"}), **demo_errors}},
    "post": {"summary": "Add a note.", "tags": ["Demo"], "security": [{"bearer": []}],
             "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": S}}}}},
             "responses": {"201": js("The note.", {"type": "object"}), "400": {"description": "Bad note.", "content": {"application/json": {"schema": ref("Problem")}}},
                           "409": {"description": "Too many notes.", "content": {"application/json": {"schema": ref("Problem")}}}, **demo_errors}}}
paths["/demo/api/notes/{id}"] = {"delete": {"summary": "Delete a note.", "tags": ["Demo"], "security": [{"bearer": []}],
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": S}],
    "responses": {"204": {"description": "Deleted."}, **demo_errors}}}
# The admin API: JSON only, behind an admin token (client_credentials with scope admin, from an admin client).
I = {"type": "integer"}
NI = {"type": ["integer", "null"]}
NS = {"type": ["string", "null"]}
ADMIN_ERRORS = {"400": js("A malformed parameter (`invalid_request`); nothing changed.", ref("AdminProblem")),
                "401": {"description": "No admin token (`invalid_token`).", "headers": {"WWW-Authenticate": {"schema": S, "required": True}},
                        "content": {"application/json": {"schema": ref("AdminProblem")}}},
                "404": js("No such account, session or grant (`not_found`).", ref("AdminProblem")),
                "503": js("`temporarily_unavailable`: the database is unreachable; nothing changed.", ref("AdminProblem"))}
ADMIN_ERRORS = {status: shared(f"Admin{status}", response) for status, response in ADMIN_ERRORS.items()}
ACCOUNT_ID = {"name": "id", "in": "path", "required": True, "schema": S}
def admin(summary, ok, parameters=(), ok_status="200"):
    return {"summary": summary, "tags": ["Admin API"], "security": [{"adminBearer": []}], "parameters": list(parameters),
            "responses": {ok_status: ok, **ADMIN_ERRORS}}
def admin_list(name, item): return {"type": "object", "required": [name], "properties": {name: {"type": "array", "items": ref(item)}}}
paths["/admin/api/accounts"] = {"get": admin("Accounts whose address begins with `q`, by address.",
    js("Accounts; `next` is the `after` of the next page.", {"type": "object", "required": ["accounts"], "properties": {
        "accounts": {"type": "array", "items": ref("AdminAccount")}, "next": NS}}),
    [q("q", "Address prefix"), q("after", "The `next` of the previous page"), q("limit", "1 to 100")])}
paths["/admin/api/accounts/{id}"] = {
    "get": admin("An account: its sessions, grants, passkeys and newest audit records.", js("The account.", ref("AdminAccountDetails")),
                 [ACCOUNT_ID]),
    "delete": admin("Erase the account: personal data deleted, every session and grant ended; its audit records keep a pseudonym.",
                    js("Erased.", {"type": "object", "required": ["id", "erased", "pseudonym"], "properties": {
                        "id": S, "erased": {"type": "boolean"}, "pseudonym": S}}), [ACCOUNT_ID])}
LOCKOUT = js("The account's state and what was ended.", {"type": "object", "required": ["id", "disabled", "sessions_ended", "grants_revoked"],
             "properties": {"id": S, "disabled": {"type": "boolean"}, "sessions_ended": I, "grants_revoked": I}})
paths["/admin/api/accounts/{id}/disable"] = {"post": admin(
    "Disable the account: its sessions, grants (refresh tokens) and unexchanged codes stop working at once.", LOCKOUT, [ACCOUNT_ID])}
paths["/admin/api/accounts/{id}/enable"] = {"post": admin("Enable the account; nothing it lost comes back.", LOCKOUT, [ACCOUNT_ID])}
ENDED = js("What was ended.", {"type": "object", "required": ["sessions_ended", "grants_revoked"],
                               "properties": {"sessions_ended": I, "grants_revoked": I}})
REVOKED = js("How many grants were revoked.", {"type": "object", "required": ["grants_revoked"], "properties": {"grants_revoked": I}})
paths["/admin/api/accounts/{id}/sessions"] = {
    "get": admin("The account's live sessions.", js("Sessions.", admin_list("sessions", "AdminSession")), [ACCOUNT_ID]),
    "delete": admin("End every session of the account and what was granted within them.", ENDED, [ACCOUNT_ID])}
paths["/admin/api/accounts/{id}/sessions/{session}"] = {"delete": admin(
    "End one session of the account.", ENDED, [ACCOUNT_ID, {"name": "session", "in": "path", "required": True, "schema": S}])}
paths["/admin/api/accounts/{id}/grants"] = {
    "get": admin("The account's live grants.", js("Grants.", admin_list("grants", "AdminGrant")), [ACCOUNT_ID]),
    "delete": admin("Revoke every grant of the account (its refresh and access tokens).", REVOKED, [ACCOUNT_ID])}
paths["/admin/api/accounts/{id}/grants/{grant}"] = {"delete": admin(
    "Revoke one grant of the account.", REVOKED, [ACCOUNT_ID, {"name": "grant", "in": "path", "required": True, "schema": S}])}
paths["/admin/api/clients"] = {"get": admin("Every registered client (no secret).", js("Clients.", admin_list("clients", "AdminClient")))}
CLIENT_ID = {"name": "id", "in": "path", "required": True, "schema": S}
CONFLICT = {"409": js("Refused in the resource's state (`conflict`); nothing changed.", ref("AdminProblem"))}
def admin_changing(summary, ok, parameters=(), ok_status="200", body=None, conflict=False):
    operation = admin(summary, ok, parameters, ok_status)
    if conflict: operation["responses"].update(CONFLICT)
    if body is not None: operation["requestBody"] = {"required": body[1], "content": {"application/json": {"schema": body[0]}}}
    return operation
CLIENT_SECRET_NOTE = "`client_secret` is in this answer only, once; only its digest is kept."
paths["/admin/api/clients"]["post"] = admin_changing(
    "Register a client. " + CLIENT_SECRET_NOTE, js("The client, with its secret when confidential.", ref("AdminClientDetails")),
    ok_status="201", body=(ref("AdminClientFields"), True))
paths["/admin/api/clients/{id}"] = {
    "get": admin("A client with every setting (no secret).", js("The client.", ref("AdminClientDetails")), [CLIENT_ID]),
    "patch": admin_changing("Change the fields given (`null` resets a setting to the server's default); unknown fields are refused. "
                            "Making a client confidential makes its secret: " + CLIENT_SECRET_NOTE,
                            js("The client as saved.", ref("AdminClientDetails")), [CLIENT_ID], body=(ref("AdminClientFields"), True),
                            conflict=True),
    "delete": admin_changing("Remove the client and revoke everything issued to it. The calling admin client cannot remove "
                             "itself (`409`), nor take away its own `admin`.", js("Removed.", {
        "type": "object", "required": ["id", "removed"], "properties": {"id": S, "removed": {"type": "boolean"}}}), [CLIENT_ID],
        conflict=True)}
paths["/admin/api/clients/{id}/secret"] = {"post": admin_changing(
    "Give a confidential client a new secret; the old one stops working at once. " + CLIENT_SECRET_NOTE,
    js("The client and its new secret.", ref("AdminClientDetails")), [CLIENT_ID], conflict=True)}
paths["/admin/api/keys"] = {"get": admin("The signing keys and their states (never a private key).",
                                         js("Keys.", admin_list("keys", "AdminKey")))}
paths["/admin/api/keys/rotate"] = {"post": admin_changing(
    "Publish a new signing key now, as `logintoo key rotate`; it signs `activate_in` seconds later (900 when absent).",
    js("The new key.", ref("AdminKey")), ok_status="201", body=({"type": "object", "additionalProperties": False, "properties": {
        "activate_in": {"type": "integer", "minimum": 0, "maximum": 86400}}}, False))}
paths["/admin/api/outbox"] = {"get": admin("Emails not sent, newest first: `pending` (waiting to be sent or retried), `failed` "
                                           "(a delivery failed: retrying or abandoned), both when absent. Never their content.",
    js("Messages.", admin_list("messages", "AdminOutboxMessage")),
    [q("state", "pending or failed", schema={"type": "string", "enum": ["pending", "failed"]}), q("limit", "1 to 200")])}
paths["/admin/api/outbox/{id}/retry"] = {"post": admin_changing(
    "Make a waiting email due now. A sent one, or an abandoned one (its content is erased), is `409`.",
    js("Due now.", {"type": "object", "required": ["id", "retried"], "properties": {"id": S, "retried": {"type": "boolean"}}}),
    [{"name": "id", "in": "path", "required": True, "schema": S}], conflict=True)}
paths["/admin/api/deliveries"] = {"get": admin(
    "Logout notices and webhooks, newest first: `pending` (waiting for an attempt or a retry), `delivered` or "
    "`abandoned`, with the last error, as `logintoo deliveries list`. Never their content.",
    js("Deliveries.", admin_list("deliveries", "AdminDelivery")), [q("limit", "1 to 200")])}
paths["/admin/api/audit"] = {"get": admin("Audit records, newest first, filtered; `format=jsonl` exports JSON lines.",
    {"description": "Records; `next` is the `before` of the next page.", "content": {
        "application/json": {"schema": {"type": "object", "required": ["events"], "properties": {
            "events": {"type": "array", "items": ref("AdminEvent")}, "next": NS}}},
        "application/jsonl": {"schema": {"type": "string"}}}},
    [q("account", "Account id"), q("client", "Client id"), q("kind", "Event kind, such as signed_in"),
     q("since", "Unix seconds (inclusive)"), q("until", "Unix seconds (exclusive)"), q("before", "The `next` of the previous page"),
     q("limit", "1 to 1000"), q("format", "jsonl for JSON lines")])}
# The admin console: pages for admin accounts, signed in through this server (the client logintoo-admin).
CONSOLE_PAGE = {"200": html("The page."), "303": redirect("Not signed in to the console: on to /authorize (the console's sign-in)."),
                **PAGE_ERRORS}
CONSOLE_POST = {"303": redirect("Done: back to the account, or to the console."),
                "403": html("Not this console session's form, or no console session; nothing changed."), **PAGE_ERRORS}
csrf_form = lambda extra=None: form({"type": "object", "required": ["csrf"], "properties": {"csrf": S, **(extra or {})}})
def console(summary, **extra): return {"summary": summary, "tags": ["Admin console"], **extra}
paths["/admin"] = {"get": console("Accounts: search by address prefix.", parameters=[q("q", "Address prefix"), q("done", "The action just done")],
                                  responses=CONSOLE_PAGE)}
paths["/admin/callback"] = {"get": console("The console's redirect URI: exchanges the code; admins get the console session.",
    parameters=[q("code", "Authorization code"), q("state", "The flow's state"), q("iss", "This issuer")],
    responses={"303": redirect("Signed in: on to /admin."), "403": html("Not an administrator."), **PAGE_ERRORS})}
paths["/admin/accounts/{id}"] = {"get": console("One account: access, sessions, sites, passkeys, events, erase.",
    parameters=[ACCOUNT_ID, q("done", "The action just done")], responses=CONSOLE_PAGE)}
for action, summary, extra in [("disable", "Disable the account.", None), ("enable", "Enable the account.", None),
                               ("erase", "Erase the account (confirm=erase).", {"confirm": S}),
                               ("sessions/end", "End one session (session) or all.", {"session": S}),
                               ("grants/revoke", "Revoke one grant (grant) or all.", {"grant": S})]:
    paths[f"/admin/accounts/{{id}}/{action}"] = {"post": console(summary, parameters=[ACCOUNT_ID], requestBody=csrf_form(extra),
                                                                 responses=CONSOLE_POST)}
paths["/admin/audit"] = {"get": console("The audit trail, filtered.", parameters=[q("account", "Account id"), q("client", "Client id"),
    q("kind", "Event kind"), q("before", "The Older link's cursor")], responses=CONSOLE_PAGE)}
paths["/assets/admin.css"] = {"get": console("The console's additions to the login pages' style sheet.", responses={
    "200": {"description": "CSS.", "content": {"text/css": {"schema": S}}}})}
CLIENT_ID_PATH = {"name": "id", "in": "path", "required": True, "description": "Client id", "schema": S}
CONSOLE_CLIENT_FIELDS = {name: S for name in [
    "name", "redirect_uris", "post_logout_redirect_uris", "confidential", "admin", "access_token_lifetime", "refresh_idle_lifetime",
    "refresh_absolute_lifetime", "refresh_sliding", "code_digits", "code_lifetime", "code_max_attempts", "token_audience",
    "reply_to", "email_subject", "logo_url", "accent_color", "sender_name", "privacy_url", "terms_url", "resources",
    "require_pushed_authorization_requests", "dpop_bound_access_tokens", "backchannel_logout_uri",
    "backchannel_logout_session_required"]}
CONSOLE_SECRET_PAGE = html("The client and the secret just made, shown this once (a public client has none).")
CONSOLE_NOTICE = html("Not done, and why (a public client's secret, the built-in console client); nothing changed.")
CONSOLE_REFUSED = {**PAGE_ERRORS, "400": html("A field is refused: the form again, naming the field and the reason; nothing changed.")}
paths["/admin/clients"] = {
    "get": console("The registered clients, each linked to its page, and the New client form.",
                   parameters=[q("done", "The action just done")], responses=CONSOLE_PAGE),
    "post": console("Create a client (New client form: name, redirect URIs one per line, post-logout URIs, confidential, "
                    "admin); its secret is shown once.", requestBody=csrf_form(CONSOLE_CLIENT_FIELDS),
                    responses={**CONSOLE_POST, "200": CONSOLE_SECRET_PAGE, **CONSOLE_REFUSED})}
paths["/admin/clients/{id}"] = {
    "get": console("One client: every field in a form (the built-in console client read-only), Rotate secret, Remove.",
                   parameters=[CLIENT_ID_PATH, q("done", "The action just done")], responses=CONSOLE_PAGE),
    "post": console("Save the client's changed fields; an empty setting is the server's default.", parameters=[CLIENT_ID_PATH],
                    requestBody=csrf_form(CONSOLE_CLIENT_FIELDS), responses={**CONSOLE_POST, **CONSOLE_REFUSED, "409": CONSOLE_NOTICE})}
paths["/admin/clients/{id}/secret"] = {"post": console("Give a confidential client a new secret, shown once; the old one stops "
    "working at once.", parameters=[CLIENT_ID_PATH], requestBody=csrf_form(),
    responses={**CONSOLE_POST, "200": CONSOLE_SECRET_PAGE, "409": CONSOLE_NOTICE})}
paths["/admin/clients/{id}/remove"] = {"post": console("Remove the client (confirm=remove) and revoke everything issued to it.",
    parameters=[CLIENT_ID_PATH], requestBody=csrf_form({"confirm": S}), responses={**CONSOLE_POST, "409": CONSOLE_NOTICE})}
paths["/admin/keys"] = {"get": console("The signing keys (kid, algorithm, state, dates) and Rotate now.",
                                       parameters=[q("done", "The action just done")], responses=CONSOLE_PAGE)}
paths["/admin/keys/rotate"] = {"post": console("Publish a new signing key now; it signs activate_in seconds later (0 to 86400, "
    "900 when empty).", requestBody=csrf_form({"activate_in": S}), responses={**CONSOLE_POST, **CONSOLE_REFUSED})}
paths["/admin/outbox"] = {"get": console("Emails not sent (recipient, state, attempts, last error, next attempt; never the "
    "content), each with Retry.", parameters=[q("done", "The action just done")], responses=CONSOLE_PAGE)}
paths["/admin/outbox/{id}/retry"] = {"post": console("Make a waiting email due now; a sent or abandoned one is a notice.",
    parameters=[{"name": "id", "in": "path", "required": True, "description": "Message id", "schema": S}],
    requestBody=csrf_form(), responses={**CONSOLE_POST, "409": CONSOLE_NOTICE})}
paths["/admin/logout"] = {"post": console("Sign out of the console: its grant is revoked.", requestBody=csrf_form(),
                                          responses={"303": redirect("To /."), "403": html("Not this console's form."), **PAGE_ERRORS})}
schemas = {
    "OAuthError": {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string", "enum": ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                                             "unsupported_grant_type", "invalid_scope", "invalid_target", "unsupported_token_type",
                                             "temporarily_unavailable", "server_error", "unsupported_response_type",
                                             "request_not_supported"]},
        "error_description": S}},
    "PushedAuthorizationResponse": {"type": "object", "required": ["request_uri", "expires_in"], "properties": {
        "request_uri": {"type": "string", "description": "urn:ietf:params:oauth:request_uri: and 32 random bytes, base64url"},
        "expires_in": {"type": "integer"}}},
    "TokenResponse": {"type": "object", "required": ["access_token", "token_type", "expires_in"], "properties": {
        "access_token": S, "token_type": {"type": "string", "enum": ["Bearer"]}, "expires_in": {"type": "integer"},
        "refresh_token": S, "id_token": S, "scope": S}},
    "Introspection": {"type": "object", "required": ["active"], "properties": {"active": {"type": "boolean"}, "scope": S, "client_id": S,
        "sub": S, "exp": {"type": "integer"}, "iat": {"type": "integer"}, "iss": S, "aud": S, "jti": S, "token_type": S}},
    "UserInfo": {"type": "object", "required": ["sub"], "properties": {"sub": S, "email": S, "email_verified": {"type": "boolean"}}},
    "JWKS": {"type": "object", "required": ["keys"], "properties": {"keys": {"type": "array", "items": {"type": "object",
             "required": ["kty", "kid", "use", "alg"], "properties": {"kty": S, "kid": S, "use": {"const": "sig"}, "alg": S}}}}},
    "Metadata": {"type": "object", "required": ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"], "properties": {
        "issuer": S, "authorization_endpoint": S, "token_endpoint": S, "jwks_uri": S}},
    "LogintooStatus": {"type": "object", "properties": {"statusCode": {"type": "integer"}, "statusMessage": S}},
    "LogintooError": {"type": "object", "properties": {"error": S, "error_description": S, "statusCode": {"type": "integer"}, "statusMessage": S}},
    "LogintooTokens": {"type": "object", "required": ["access_token", "token_type", "expires_in"], "properties": {
        "access_token": S, "token_type": S, "expires_in": {"type": "integer"}, "refresh_token": S, "exp": {"type": "integer"},
        "rt_exp": {"type": "integer"}, "state": S, "language": S, "locale": S, "statusMessage": S}},
    "Problem": {"type": "object", "required": ["error"], "properties": {"error": S}},
    "AdminProblem": {"type": "object", "required": ["error", "error_description"], "properties": {"error": S, "error_description": S}},
    "AdminAccount": {"type": "object", "required": ["id", "email", "disabled", "created_at"], "properties": {
        "id": S, "email": S, "disabled": {"type": "boolean"}, "disabled_at": NI, "created_at": I, "last_sign_in_at": NI}},
    "AdminAccountDetails": {"type": "object", "required": ["account", "sessions", "grants", "passkeys", "recent_events"], "properties": {
        "account": ref("AdminAccount"), "sessions": {"type": "array", "items": ref("AdminSession")},
        "grants": {"type": "array", "items": ref("AdminGrant")}, "passkeys": {"type": "array", "items": ref("AdminPasskey")},
        "recent_events": {"type": "array", "items": ref("AdminEvent")}}},
    "AdminSession": {"type": "object", "required": ["id", "signed_in_at", "last_seen_at", "expires_at", "amr"], "properties": {
        "id": S, "signed_in_at": I, "last_seen_at": I, "expires_at": I, "amr": {"type": "array", "items": S}, "acr": NS}},
    "AdminGrant": {"type": "object", "required": ["id", "client_id", "scope", "signed_in_at", "created_at", "expires_at"], "properties": {
        "id": S, "client_id": S, "scope": S, "signed_in_at": I, "created_at": I, "expires_at": I, "resource": NS}},
    "AdminPasskey": {"type": "object", "required": ["id", "name", "created_at", "backed_up"], "properties": {
        "id": S, "name": S, "created_at": I, "last_used_at": NI, "backed_up": {"type": "boolean"}}},
    "AdminEvent": {"type": "object", "required": ["id", "at", "kind"], "properties": {
        "id": S, "at": I, "kind": S, "email": NS, "client_id": NS, "subject": NS, "ip": NS, "detail": NS}},
    "AdminClient": {"type": "object", "required": ["id", "name", "confidential", "admin", "redirect_uris"], "properties": {
        "id": S, "name": S, "confidential": {"type": "boolean"}, "admin": {"type": "boolean"},
        "redirect_uris": {"type": "array", "items": S}, "post_logout_redirect_uris": {"type": "array", "items": S}, "created_at": I}},
    "AdminClientDetails": {"allOf": [ref("AdminClient"), ref("AdminClientSettings"), {"type": "object", "properties": {
        "client_secret": {"type": "string", "description": "Only in the answer that made it."}}}]},
    "AdminClientSettings": {"type": "object", "description": "A setting left to the server's default is absent.", "properties": {
        "access_token_lifetime": I, "refresh_idle_lifetime": I, "refresh_absolute_lifetime": I, "refresh_sliding": {"type": "boolean"},
        "code_digits": I, "code_lifetime": I, "code_max_attempts": I, "token_audience": S, "reply_to": S, "email_subject": S,
        "logo_url": S, "resources": {"type": "array", "items": S}, "accent_color": S, "sender_name": S,
        "require_pushed_authorization_requests": {"type": "boolean"}, "dpop_bound_access_tokens": {"type": "boolean"},
        "backchannel_logout_uri": S, "backchannel_logout_session_required": {"type": "boolean"}}},
    "AdminClientFields": {"type": "object", "additionalProperties": False, "description":
        "`name` is required at creation; a public client needs a redirect URI unless it is an admin client (which must be confidential).",
        "properties": {
        "name": S, "redirect_uris": {"type": "array", "items": S}, "post_logout_redirect_uris": {"type": "array", "items": S},
        "confidential": {"type": "boolean"}, "admin": {"type": ["boolean", "null"]},
        "access_token_lifetime": NI, "refresh_idle_lifetime": NI, "refresh_absolute_lifetime": NI,
        "refresh_sliding": {"type": ["boolean", "null"]}, "code_digits": {"type": ["integer", "null"], "minimum": 6, "maximum": 10},
        "code_lifetime": {"type": ["integer", "null"], "minimum": 300, "maximum": 1800},
        "code_max_attempts": {"type": ["integer", "null"], "minimum": 1, "maximum": 10}, "token_audience": NS, "reply_to": NS,
        "email_subject": NS, "logo_url": NS, "resources": {"type": ["array", "null"], "items": S}, "accent_color": NS,
        "sender_name": NS, "require_pushed_authorization_requests": {"type": ["boolean", "null"]},
        "dpop_bound_access_tokens": {"type": ["boolean", "null"], "description":
            "true: token requests must carry a DPoP proof; false exempts the client from LOGINTOO_DPOP_REQUIRED"},
        "backchannel_logout_uri": {"type": ["string", "null"], "description":
            "Where logout tokens are POSTed when a session ends (OpenID Connect Back-Channel Logout 1.0); https, or http on a loopback address"},
        "backchannel_logout_session_required": {"type": ["boolean", "null"]}}},
    "AdminKey": {"type": "object", "required": ["kid", "alg", "state", "created_at", "activates_at"], "properties": {
        "kid": S, "alg": S, "state": {"type": "string", "enum": ["next", "active", "retiring", "expired"]}, "created_at": I,
        "activates_at": I, "published_until": I}},
    "AdminDelivery": {"type": "object", "required": ["id", "kind", "target", "state", "created_at", "expires_at", "attempts"],
        "properties": {"id": S, "kind": {"type": "string", "enum": ["backchannel_logout", "webhook"]}, "target": S,
                       "state": {"type": "string", "enum": ["pending", "delivered", "abandoned"]}, "created_at": I,
                       "expires_at": I, "attempts": I, "last_error": S, "next_attempt_at": I, "delivered_at": I}},
    "AdminOutboxMessage": {"type": "object", "required": ["id", "recipient", "state", "created_at", "expires_at", "attempts"],
        "properties": {"id": S, "recipient": S, "state": {"type": "string", "enum": ["queued", "failed", "abandoned"]},
                       "created_at": I, "expires_at": I, "attempts": I, "last_error": S, "next_attempt_at": I}},
    "PasskeyRequestOptions": {"type": "object", "required": ["challenge", "rpId", "userVerification"], "properties": {
        "challenge": S, "timeout": {"type": "integer"}, "rpId": S, "allowCredentials": {"type": "array"}, "userVerification": S}},
    "PasskeyCreationOptions": {"type": "object", "required": ["rp", "user", "challenge", "pubKeyCredParams"], "properties": {
        "rp": {"type": "object"}, "user": {"type": "object"}, "challenge": S, "pubKeyCredParams": {"type": "array"},
        "timeout": {"type": "integer"}, "excludeCredentials": {"type": "array"}, "authenticatorSelection": {"type": "object"},
        "attestation": S}},
    "PasskeyAssertion": {"type": "object", "description": "AuthenticationResponseJSON (WebAuthn Level 3), binary values base64url.",
        "required": ["id", "type", "response"], "properties": {"id": S, "rawId": S, "type": S, "response": {
            "type": "object", "required": ["clientDataJSON", "authenticatorData", "signature"], "properties": {
                "clientDataJSON": S, "authenticatorData": S, "signature": S, "userHandle": {"type": ["string", "null"]}}}}},
    "PasskeyRegistration": {"type": "object", "description": "RegistrationResponseJSON (WebAuthn Level 3), binary values base64url.",
        "required": ["id", "type", "response"], "properties": {"id": S, "rawId": S, "type": S, "response": {
            "type": "object", "required": ["clientDataJSON", "attestationObject"], "properties": {
                "clientDataJSON": S, "attestationObject": S, "transports": {"type": "array", "items": S}}}}},
}
doc = {"openapi": "3.1.0",
       "info": {"title": "Logintoo", "version": "1", "summary": "Passwordless OAuth 2.1 / OpenID Connect authorization server.",
                "description": "Every endpoint of a Logintoo server. Errors of OAuth endpoints follow RFC 6749 §5.2; pages answer people with HTML."},
       "servers": [{"url": "/"}], "paths": dict(sorted(paths.items())),
       "components": {"schemas": schemas, "responses": SHARED, "pathItems": PATH_ITEMS, "securitySchemes": {
           "clientSecretBasic": {"type": "http", "scheme": "basic", "description": "client_secret_basic"},
           "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
           "dpop": {"type": "http", "scheme": "DPoP", "description": "A DPoP-bound access token with a DPoP proof (RFC 9449 §7)."},
           "adminBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "An admin token: client_credentials with scope admin, from an admin client."}}}}
text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
swift = '// Generated by scripts/openapi-document.py; edit that, not this.\n/// The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`.\nenum OpenAPIDocument {\n    static let json = #"""\n' + text + '\n"""#\n}\n'
OUTPUT = pathlib.Path(__file__).resolve().parents[1] / "Sources" / "LogintooHTTP" / "Endpoints" / "OpenAPIDocument.swift"
if __name__ == "__main__":
    (pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT).write_text(swift)
