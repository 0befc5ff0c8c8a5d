/// The demo client: a static page that signs in with authorization code + PKCE in plain JavaScript, calls the demo API
/// with its access token, refreshes it silently before it expires, and signs out (revoke, then logout). Its tokens are
/// DPoP-bound (RFC 9449) to a key the page cannot export, kept in IndexedDB (docs/static-site.md explains why).
enum DemoAssets {
    static func page(issuer: String, clientId: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Logintoo demo</title>
        <link rel="stylesheet" href="/assets/login.css">
        </head>
        <body>
        <main class="card wide" id="demo" data-issuer="\(issuer)" data-client-id="\(clientId)"
          data-api="\(issuer)/demo/api">
        <h1>Logintoo demo</h1>
        <p>This page is a website (an OAuth client) with an API behind it. It signs you in through this server with
        an emailed code (authorization code flow with PKCE), then calls the API with the access token, which the API
        verifies against the server's published keys. The tokens are bound to a key this browser keeps and cannot
        export (DPoP), so a copy of them is useless elsewhere.</p>
        <button id="sign-in" type="button">Sign in</button>
        <p id="status" role="status"></p>
        <section id="result" hidden>
        <div class="panel">
        <h2>Signed in as <span id="who"></span></h2>
        <p class="muted">Token type <span id="token-type"></span> · access token valid until <span id="expiry"></span>
        · silent refreshes: <span id="refreshes">0</span></p>
        <button id="sign-out" type="button" class="compact">Sign out</button>
        </div>
        <div class="panel">
        <h2>The API says who you are</h2>
        <pre id="me"></pre>
        </div>
        <div class="panel">
        <h2>Your notes</h2>
        <form id="note-form" class="row">
        <input id="note-text" name="text" maxlength="280" placeholder="Write a note" aria-label="New note" required>
        <button type="submit">Add</button>
        </form>
        <ul id="notes" class="notes"></ul>
        </div>
        <details><summary>ID token claims</summary><pre id="claims"></pre></details>
        <details><summary>Token response</summary><pre id="tokens"></pre></details>
        </section>
        </main>
        <script src="/demo/app.js"></script>
        </body>
        </html>
        """
    }

    static let script = #"""
        "use strict";
        (function () {
          const root = document.getElementById("demo");
          const issuer = root.dataset.issuer;
          const clientId = root.dataset.clientId;
          const api = root.dataset.api;
          const redirectUri = issuer + "/demo";
          const status = document.getElementById("status");
          const $ = (id) => document.getElementById(id);
          // Tokens live in memory; the refresh token also in sessionStorage, so a reload of this tab keeps the session.
          let tokens = null;
          let refreshTimer = null;
          let refreshes = 0;
          // The DPoP key (a promise, so concurrent requests share one) and the last nonce the token endpoint sent.
          let dpopKey = null;
          let dpopNonce = null;

          function base64url(bytes) {
            let text = "";
            for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
            return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
          }
          function randomString() { return base64url(crypto.getRandomValues(new Uint8Array(32))); }
          function decodeJwt(token) {
            const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
            return JSON.parse(decodeURIComponent(escape(atob(part))));
          }
          function fail(message) { status.textContent = message; }
          function base64urlJson(value) { return base64url(new TextEncoder().encode(JSON.stringify(value))); }
          async function sha256(text) { return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))); }

          // The key pair lives in IndexedDB, which stores CryptoKey objects as they are: the private key stays
          // non-extractable, so neither this page nor anything else can read it out, yet a reload can still sign with it.
          function keyStore(mode, operation) {
            return new Promise((resolve, reject) => {
              const opening = indexedDB.open("logintoo-demo", 1);
              opening.onupgradeneeded = () => opening.result.createObjectStore("keys");
              opening.onerror = () => reject(opening.error);
              opening.onsuccess = () => {
                const db = opening.result;
                const transaction = db.transaction("keys", mode);
                const request = operation(transaction.objectStore("keys"));
                transaction.oncomplete = () => { db.close(); resolve(request.result); };
                transaction.onabort = () => { db.close(); reject(transaction.error); };
              };
            });
          }

          async function loadOrCreateKey() {
            let pair = await keyStore("readonly", (keys) => keys.get("dpop"));
            if (!pair) {
              const created = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
              pair = { privateKey: created.privateKey, publicKey: created.publicKey };
              await keyStore("readwrite", (keys) => keys.put(pair, "dpop"));
            }
            const { crv, kty, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
            // RFC 7638: the thumbprint hashes the required members in this order, without spaces.
            const jwk = { crv, kty, x, y };
            return { privateKey: pair.privateKey, jwk, thumbprint: await sha256(JSON.stringify(jwk)) };
          }
          function dpop() { return dpopKey || (dpopKey = loadOrCreateKey()); }

          // RFC 9449 §4.2: a proof for one request; `ath` ties a proof at the API to the access token it comes with.
          async function dpopProof(method, url, { accessToken, nonce } = {}) {
            const key = await dpop();
            const claims = { jti: randomString(), htm: method, htu: url.split(/[?#]/)[0], iat: Math.floor(Date.now() / 1000) };
            if (nonce) claims.nonce = nonce;
            if (accessToken) claims.ath = await sha256(accessToken);
            const input = base64urlJson({ typ: "dpop+jwt", alg: "ES256", jwk: key.jwk }) + "." + base64urlJson(claims);
            // WebCrypto's ECDSA signature is r and s side by side, the form JWS (ES256) wants.
            const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.privateKey,
                                                       new TextEncoder().encode(input));
            return input + "." + base64url(signature);
          }

          async function forget() {
            tokens = null;
            dpopKey = null;
            sessionStorage.removeItem("demo-refresh-token");
            await keyStore("readwrite", (keys) => keys.delete("dpop"));
          }

          async function signIn() {
            const verifier = randomString();
            const challenge = await sha256(verifier);
            const state = randomString();
            const nonce = randomString();
            sessionStorage.setItem("demo", JSON.stringify({ verifier, state, nonce }));
            // dpop_jkt (RFC 9449 §10): the code can be exchanged only with a proof by this browser's key.
            const params = new URLSearchParams({
              response_type: "code", client_id: clientId, redirect_uri: redirectUri,
              scope: "openid email offline_access", state, nonce, resource: api,
              code_challenge: challenge, code_challenge_method: "S256", dpop_jkt: (await dpop()).thumbprint
            });
            location.assign(issuer + "/authorize?" + params.toString());
          }

          // Every proof to the token endpoint carries its latest nonce; a stale or missing one is answered with
          // use_dpop_nonce and a fresh nonce, and the request is sent once more.
          async function tokenRequest(form) {
            const send = async () => {
              const response = await fetch(issuer + "/token", {
                method: "POST", body: new URLSearchParams(form),
                headers: { "Content-Type": "application/x-www-form-urlencoded",
                           "DPoP": await dpopProof("POST", issuer + "/token", { nonce: dpopNonce }) }
              });
              dpopNonce = response.headers.get("DPoP-Nonce") || dpopNonce;
              return { response, body: await response.json() };
            };
            let { response, body } = await send();
            if (response.status === 400 && body.error === "use_dpop_nonce") ({ response, body } = await send());
            if (!response.ok) throw new Error(body.error_description || body.error);
            return body;
          }

          async function finish(params) {
            const saved = JSON.parse(sessionStorage.getItem("demo") || "null");
            sessionStorage.removeItem("demo");
            history.replaceState(null, "", redirectUri);
            if (params.get("error")) return fail("Sign-in failed: " + params.get("error_description"));
            if (!saved || params.get("state") !== saved.state) return fail("Sign-in failed: the state does not match.");
            if (params.get("iss") !== issuer) return fail("Sign-in failed: unexpected issuer.");
            const received = await tokenRequest({
              grant_type: "authorization_code", code: params.get("code"), redirect_uri: redirectUri,
              client_id: clientId, code_verifier: saved.verifier, resource: api
            });
            const claims = decodeJwt(received.id_token);
            if (claims.nonce !== saved.nonce) return fail("Sign-in failed: the nonce does not match.");
            sessionStorage.setItem("demo-id-token", received.id_token);
            $("who").textContent = claims.email || claims.sub;
            $("claims").textContent = JSON.stringify(claims, null, 2);
            await signedIn(received);
          }

          async function signedIn(received) {
            tokens = received;
            sessionStorage.setItem("demo-refresh-token", received.refresh_token);
            $("tokens").textContent = JSON.stringify(received, null, 2);
            $("token-type").textContent = received.token_type;
            $("expiry").textContent = new Date(decodeJwt(received.access_token).exp * 1000).toLocaleTimeString();
            $("result").hidden = false;
            $("sign-in").hidden = true;
            status.textContent = "";
            clearTimeout(refreshTimer);
            // Refresh 30 seconds before the access token expires, so the API never sees an expired one.
            refreshTimer = setTimeout(() => refresh().catch(e => fail("Refresh failed: " + e.message)),
                                      Math.max(5, received.expires_in - 30) * 1000);
            await Promise.all([showMe(), showNotes()]);
          }

          async function refresh() {
            const received = await tokenRequest({
              grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: clientId, resource: api
            });
            refreshes += 1;
            $("refreshes").textContent = String(refreshes);
            await signedIn(received);
          }

          // A DPoP-bound token goes with the DPoP scheme and a proof for this very request (RFC 9449 §7.1).
          async function callApi(path, init = {}) {
            const request = async () => {
              const headers = { ...(init.headers || {}) };
              if (tokens.token_type === "DPoP") {
                headers["Authorization"] = "DPoP " + tokens.access_token;
                headers["DPoP"] = await dpopProof(init.method || "GET", api + path, { accessToken: tokens.access_token });
              } else {
                headers["Authorization"] = "Bearer " + tokens.access_token;
              }
              return fetch(api + path, { ...init, headers });
            };
            let response = await request();
            if (response.status === 401) { await refresh(); response = await request(); }
            return response;
          }

          async function showMe() {
            const response = await callApi("/me");
            $("me").textContent = JSON.stringify(await response.json(), null, 2);
          }

          async function showNotes() {
            const response = await callApi("/notes");
            const list = $("notes");
            list.replaceChildren();
            for (const note of (await response.json()).notes) {
              const item = document.createElement("li");
              const text = document.createElement("span");
              text.textContent = note.text;
              const remove = document.createElement("button");
              remove.type = "button";
              remove.className = "link";
              remove.textContent = "Delete";
              remove.addEventListener("click", () => deleteNote(note.id).catch(e => fail(e.message)));
              item.append(text, remove);
              list.append(item);
            }
          }

          async function addNote(event) {
            event.preventDefault();
            const input = $("note-text");
            const response = await callApi("/notes", { method: "POST", headers: { "Content-Type": "application/json" },
                                                       body: JSON.stringify({ text: input.value }) });
            if (!response.ok) return fail((await response.json()).error);
            input.value = "";
            await showNotes();
          }

          async function deleteNote(id) {
            await callApi("/notes/" + encodeURIComponent(id), { method: "DELETE" });
            await showNotes();
          }

          async function signOut() {
            clearTimeout(refreshTimer);
            if (tokens) {
              await fetch(issuer + "/revoke", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({ token: tokens.refresh_token, token_type_hint: "refresh_token", client_id: clientId }) });
            }
            await forget();
            const hint = sessionStorage.getItem("demo-id-token");
            sessionStorage.removeItem("demo-id-token");
            const params = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: redirectUri });
            if (hint) params.set("id_token_hint", hint);
            location.assign(issuer + "/logout?" + params.toString());
          }

          async function resume() {
            const refreshToken = sessionStorage.getItem("demo-refresh-token");
            const idToken = sessionStorage.getItem("demo-id-token");
            if (!refreshToken || !idToken) return;
            tokens = { refresh_token: refreshToken };
            const claims = decodeJwt(idToken);
            $("who").textContent = claims.email || claims.sub;
            $("claims").textContent = JSON.stringify(claims, null, 2);
            await refresh();
          }

          $("sign-in").addEventListener("click", () => { signIn().catch(e => fail(e.message)); });
          $("sign-out").addEventListener("click", () => { signOut().catch(e => fail(e.message)); });
          $("note-form").addEventListener("submit", (event) => { addNote(event).catch(e => fail(e.message)); });
          const params = new URLSearchParams(location.search);
          if (params.has("code") || params.has("error")) finish(params).catch(e => fail(e.message));
          else resume().catch(() => forget()).catch(e => fail(e.message));
        })();
        """#
}
