/// The demo client: a static page that signs in with authorization code + PKCE in plain JavaScript.
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
        <main class="card wide" id="demo" data-issuer="\(issuer)" data-client-id="\(clientId)">
        <h1>Logintoo demo</h1>
        <p>This page is an OAuth client. It signs you in through this server with an emailed code,
        using the authorization code flow with PKCE; the code appears in the server's console.</p>
        <button id="sign-in" type="button">Sign in</button>
        <p id="status" role="status"></p>
        <section id="result" hidden>
        <h2>Signed in as <span id="who"></span></h2>
        <h3>ID token claims</h3>
        <pre id="claims"></pre>
        <h3>Token response</h3>
        <pre id="tokens"></pre>
        <button id="sign-out" type="button">Sign out</button>
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
          const redirectUri = issuer + "/demo";
          const status = document.getElementById("status");

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

          async function signIn() {
            const verifier = randomString();
            const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
            const state = randomString();
            const nonce = randomString();
            sessionStorage.setItem("demo", JSON.stringify({ verifier, state, nonce }));
            const params = new URLSearchParams({
              response_type: "code", client_id: clientId, redirect_uri: redirectUri,
              scope: "openid email offline_access", state, nonce,
              code_challenge: challenge, code_challenge_method: "S256"
            });
            location.assign(issuer + "/authorize?" + params.toString());
          }

          async function finish(params) {
            const saved = JSON.parse(sessionStorage.getItem("demo") || "null");
            sessionStorage.removeItem("demo");
            history.replaceState(null, "", redirectUri);
            if (params.get("error")) { status.textContent = "Sign-in failed: " + params.get("error_description"); return; }
            if (!saved || params.get("state") !== saved.state) { status.textContent = "Sign-in failed: the state does not match."; return; }
            if (params.get("iss") !== issuer) { status.textContent = "Sign-in failed: unexpected issuer."; return; }
            const response = await fetch(issuer + "/token", {
              method: "POST",
              headers: { "Content-Type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({
                grant_type: "authorization_code", code: params.get("code"), redirect_uri: redirectUri,
                client_id: clientId, code_verifier: saved.verifier
              })
            });
            const tokens = await response.json();
            if (!response.ok) { status.textContent = "Token exchange failed: " + tokens.error_description; return; }
            const claims = decodeJwt(tokens.id_token);
            if (claims.nonce !== saved.nonce) { status.textContent = "Sign-in failed: the nonce does not match."; return; }
            sessionStorage.setItem("demo-id-token", tokens.id_token);
            document.getElementById("who").textContent = claims.email || claims.sub;
            document.getElementById("claims").textContent = JSON.stringify(claims, null, 2);
            document.getElementById("tokens").textContent = JSON.stringify(tokens, null, 2);
            document.getElementById("result").hidden = false;
            document.getElementById("sign-in").hidden = true;
            status.textContent = "";
          }

          function signOut() {
            const hint = sessionStorage.getItem("demo-id-token");
            sessionStorage.removeItem("demo-id-token");
            const params = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: redirectUri });
            if (hint) params.set("id_token_hint", hint);
            location.assign(issuer + "/logout?" + params.toString());
          }

          document.getElementById("sign-in").addEventListener("click", () => { signIn().catch(e => status.textContent = e.message); });
          document.getElementById("sign-out").addEventListener("click", signOut);
          const params = new URLSearchParams(location.search);
          if (params.has("code") || params.has("error")) finish(params).catch(e => status.textContent = e.message);
        })();
        """#
}
