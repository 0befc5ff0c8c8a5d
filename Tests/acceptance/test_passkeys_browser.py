"""Passkeys in a real headless Chromium with its virtual authenticator (internal transport, resident keys, user
verification): an emailed code, then the offer creates a passkey; after signing out, the passkey alone signs in again,
with no mail, and the ID token says so (`amr` hwk, `acr` phr); removed at the account page, it no longer meets
`acr_values=phr`. WebAuthn refuses IP-address RP IDs, so this server's issuer is http://localhost. A screenshot of each
step is saved in the test's temporary folder."""
import http.server
import os
import threading
import time

import pytest

from attack import authorize_url, exchange, jwt_parts, pkce, query
from conftest import Server
from test_demo_browser import CHROMEDRIVER, chrome, wait

pytestmark = pytest.mark.skipif(CHROMEDRIVER is None and not os.environ.get("CI"), reason="chromium-driver is not installed")


@pytest.fixture
def browser():
    from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions

    driver = chrome("1000,900")
    driver.add_virtual_authenticator(VirtualAuthenticatorOptions(
        protocol=VirtualAuthenticatorOptions.Protocol.CTAP2, transport=VirtualAuthenticatorOptions.Transport.INTERNAL,
        has_resident_key=True, has_user_verification=True, is_user_verified=True))
    yield driver
    driver.quit()


def mails_to(smtp, recipient):
    return sum(1 for rcpt, _, _ in smtp.messages if recipient in rcpt)


class Callback(http.server.BaseHTTPRequestHandler):
    """The client's redirect URI: a page that says the browser arrived."""

    def do_GET(self):
        body = b"<!doctype html><title>Back at the site</title><h1 id=back>Back at the site</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def callback():
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}/callback"
    site.shutdown()


def test_a_passkey_created_after_an_emailed_code_signs_in_alone(binary, smtp, tmp_path, browser, callback):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    step = iter(range(1, 100))

    def shot(name):
        browser.save_screenshot(str(tmp_path / f"{next(step):02d}-{name}.png"))

    def authorize():
        """Opens a new sign-in of the client in the browser; returns the PKCE verifier."""
        verifier, challenge = pkce()
        browser.get(authorize_url(server, client_id, challenge, redirect_uri=callback))
        return verifier

    def id_token_claims(verifier):
        wait(lambda: browser.current_url.startswith(callback + "?"), timeout=30)
        code = query(browser.current_url)["code"]
        answer = exchange(server, client_id, code, verifier, redirect_uri=callback)
        assert answer.status_code == 200, answer.text
        return jwt_parts(answer.json()["id_token"])[1]

    server = Server(binary, tmp_path / "data", f"smtp://127.0.0.1:{smtp.port}")
    server.issuer = f"http://localhost:{server.port}"
    server.start()
    email = f"passkey-{server.port}@example.com"
    try:
        client_id = server.add_client(name="Passkey Site", redirect_uris=[callback])["client_id"]
        verifier = authorize()
        wait(lambda: browser.find_elements(By.NAME, "email"))
        wait(lambda: browser.find_element(By.ID, "passkey-sign-in").is_displayed())
        wait(lambda: browser.find_element(By.NAME, "email").get_attribute("autocomplete") == "username webauthn")
        time.sleep(0.5)
        assert not browser.find_element(By.ID, "passkey-error").is_displayed(), "autofill without a passkey is no error"
        shot("login-page-with-passkey-button")
        browser.find_element(By.NAME, "email").send_keys(email)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        code = smtp.code_for(email)
        field = wait(lambda: browser.find_elements(By.NAME, "code"))[0]
        wait(lambda: browser.find_element(By.CSS_SELECTOR, "form[action='/login/code'] input[name=passkey_capable]")
             .get_attribute("value") == "1")
        field.send_keys(code)
        shot("code-form")
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
        create = wait(lambda: browser.find_elements(By.ID, "passkey-create"))[0]
        assert browser.find_element(By.ID, "passkey-skip").is_displayed()
        shot("passkey-offer")
        create.click()
        claims = id_token_claims(verifier)
        assert claims["amr"] == ["otp"] and "acr" not in claims
        assert len(browser.get_credentials()) == 1, "the virtual authenticator holds the new passkey"
        shot("back-at-the-site-after-the-code")

        browser.get(server.issuer + "/logout")
        browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        wait(lambda: "logout" in browser.current_url and browser.find_element(By.TAG_NAME, "h1").text == "You are signed out")
        shot("signed-out")
        mails = mails_to(smtp, email)

        # The email field's autofill (conditional mediation) may sign in with the passkey before the button is pressed;
        # either way the passkey alone signs in. The button alone is pressed below, where a passkey is required.
        verifier = authorize()
        button = wait(lambda: [b for b in browser.find_elements(By.ID, "passkey-sign-in") if b.is_displayed()]
                      or browser.current_url.startswith(callback))
        if isinstance(button, list):
            shot("login-page-again")
            try:
                button[0].click()
            except StaleElementReferenceException:
                pass
        claims = id_token_claims(verifier)
        shot("back-at-the-site-after-the-passkey")
        assert "hwk" in claims["amr"] and "user" in claims["amr"] and claims["acr"] == "phr"
        assert claims["email"] == email
        assert mails_to(smtp, email) == mails, "a passkey sign-in sends no mail"

        # A client that requires a passkey: the page has only the passkey button (no autofill), and it signs in.
        verifier, challenge = pkce()
        browser.get(authorize_url(server, client_id, challenge, redirect_uri=callback, acr_values="phr", prompt="login"))
        button = wait(lambda: [b for b in browser.find_elements(By.ID, "passkey-sign-in") if b.is_displayed()])[0]
        assert not browser.find_elements(By.NAME, "email")
        shot("passkey-required")
        button.click()
        claims = id_token_claims(verifier)
        assert claims["acr"] == "phr" and "hwk" in claims["amr"]
        assert mails_to(smtp, email) == mails

        # Removed at the account page, the passkey no longer signs in, and the client that requires one hears so.
        browser.get(server.issuer + "/account")
        shot("account-page")
        browser.find_element(By.CSS_SELECTOR, "form[action='/account/passkeys/remove'] button").click()
        wait(lambda: browser.current_url.endswith("/account")
             and not browser.find_elements(By.CSS_SELECTOR, "form[action='/account/passkeys/remove']"))
        shot("passkey-removed")
        verifier, challenge = pkce()
        browser.get(authorize_url(server, client_id, challenge, redirect_uri=callback, acr_values="phr", prompt="login"))
        wait(lambda: [b for b in browser.find_elements(By.ID, "passkey-sign-in") if b.is_displayed()])[0].click()
        wait(lambda: browser.find_element(By.ID, "passkey-error").is_displayed())
        shot("removed-passkey-refused")
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/abandon'] button").click()
        wait(lambda: browser.current_url.startswith(callback + "?"))
        assert query(browser.current_url)["error"] == "unmet_authentication_requirements"
    finally:
        assert server.stop() == 0
