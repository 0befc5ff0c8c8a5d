extension PageTemplates {
    /// The login pages' script (`/assets/login.js`). Every page works without it; with it:
    /// - the code page waits for a magic link confirmed on another device, then continues by itself;
    /// - the code, link and approval forms say whether this browser can make a passkey (`passkey_capable`), so that only such a
    ///   browser is offered one after signing in;
    /// - the login page signs in with a passkey: its button asks modally, and where the browser offers passkeys in autofill
    ///   and has an authenticator of its own, the email field offers them too (conditional mediation);
    /// - the passkey offer creates a passkey, then continues to the site.
    /// The page's values come from `data-` attributes: the Content-Security-Policy allows no inline script.
    static let script = """
        (function () {
          "use strict";
          var PKC = window.PublicKeyCredential;
          var webAuthn = !!(PKC && navigator.credentials && window.fetch && window.AbortController);

          function bytes(text) {
            var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
            while (base64.length % 4) base64 += "=";
            var binary = atob(base64), out = new Uint8Array(binary.length);
            for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
            return out.buffer;
          }
          function text(buffer) {
            var view = new Uint8Array(buffer), binary = "";
            for (var i = 0; i < view.length; i++) binary += String.fromCharCode(view[i]);
            return btoa(binary).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
          }
          function post(url, body) {
            return fetch(url, { method: "POST", credentials: "same-origin", cache: "no-store",
                                headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
              .then(function (r) { return r.json().then(function (json) { if (!r.ok) throw json; return json; }); });
          }
          function showError(holder) {
            var message = document.getElementById("passkey-error");
            if (message) { message.textContent = holder.dataset.error; message.hidden = false; }
          }
          function aborted(error) { return error && error.name === "AbortError"; }

          function waitForApproval() {
            var form = document.getElementById("complete");
            if (!form || !window.fetch) return;
            var tries = 0;
            function poll() {
              if (++tries > 300) return;
              fetch(form.dataset.status, { credentials: "same-origin", cache: "no-store" })
                .then(function (r) { return r.ok ? r.json() : { approved: false }; })
                .then(function (s) { if (s.approved) form.submit(); else setTimeout(poll, 2000); })
                .catch(function () { setTimeout(poll, 4000); });
            }
            setTimeout(poll, 2000);
          }

          function markPasskeyCapable() {
            var fields = document.querySelectorAll("input[name=passkey_capable]");
            if (!fields.length || !webAuthn || !PKC.isUserVerifyingPlatformAuthenticatorAvailable) return;
            PKC.isUserVerifyingPlatformAuthenticatorAvailable().then(function (available) {
              if (available) for (var i = 0; i < fields.length; i++) fields[i].value = "1";
            }, function () {});
          }

          function assertion(credential) {
            var r = credential.response;
            return { id: credential.id, rawId: text(credential.rawId), type: credential.type,
                     response: { clientDataJSON: text(r.clientDataJSON), authenticatorData: text(r.authenticatorData),
                                 signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : null } };
          }

          function passkeySignIn() {
            var holder = document.getElementById("passkey");
            if (!holder || !webAuthn) return;
            holder.hidden = false;
            var pending = null;
            function signIn(mediation) {
              if (pending) pending.abort();
              var controller = new AbortController(), ids = { tx: holder.dataset.tx, csrf: holder.dataset.csrf };
              pending = controller;
              return post("/login/passkey/options", ids).then(function (options) {
                var request = { signal: controller.signal, publicKey: {
                  challenge: bytes(options.challenge), timeout: options.timeout, rpId: options.rpId, allowCredentials: [],
                  userVerification: options.userVerification } };
                if (mediation) request.mediation = mediation;
                return navigator.credentials.get(request);
              }).then(function (credential) {
                return post("/login/passkey", { tx: ids.tx, csrf: ids.csrf, credential: assertion(credential) });
              }).then(function (answer) { window.location.assign(answer.redirect); })
                .catch(function (error) {
                  // Autofill that ends without a passkey (none saved, or the person typed an address) is no error.
                  if (aborted(error) || (mediation && error instanceof DOMException)) return;
                  showError(holder);
                });
            }
            document.getElementById("passkey-sign-in").addEventListener("click", function () { signIn(null); });
            // Autofill (the email field is `autocomplete="username webauthn"`) wherever the browser offers it: passkeys
            // of this browser, of a phone nearby or of a security key appear among the saved addresses.
            if (!document.getElementById("email") || !PKC.isConditionalMediationAvailable) return;
            PKC.isConditionalMediationAvailable().then(function (can) { if (can) signIn("conditional"); }, function () {});
          }

          function creationOptions(options) {
            return { rp: options.rp, challenge: bytes(options.challenge), pubKeyCredParams: options.pubKeyCredParams,
                     user: { id: bytes(options.user.id), name: options.user.name, displayName: options.user.displayName },
                     timeout: options.timeout, authenticatorSelection: options.authenticatorSelection,
                     attestation: options.attestation,
                     excludeCredentials: options.excludeCredentials.map(function (c) { return { type: c.type, id: bytes(c.id) }; }) };
          }
          function registration(credential) {
            var r = credential.response;
            return { id: credential.id, rawId: text(credential.rawId), type: credential.type,
                     response: { clientDataJSON: text(r.clientDataJSON), attestationObject: text(r.attestationObject),
                                 transports: r.getTransports ? r.getTransports() : [] } };
          }

          function passkeyOffer() {
            var form = document.getElementById("passkey-offer");
            if (!form || !webAuthn) return;
            var create = document.getElementById("passkey-create");
            create.addEventListener("click", function (event) {
              event.preventDefault();
              create.disabled = true;
              var csrf = form.dataset.csrf;
              post("/passkeys/registration/options", { csrf: csrf })
                .then(function (options) { return navigator.credentials.create({ publicKey: creationOptions(options) }); })
                .then(function (credential) { return post("/passkeys/registration", { csrf: csrf, credential: registration(credential) }); })
                .then(function () { form.submit(); }, function () { create.disabled = false; showError(form); });
            });
          }

          waitForApproval();
          markPasskeyCapable();
          passkeySignIn();
          passkeyOffer();
        })();
        """
}
