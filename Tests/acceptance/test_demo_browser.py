"""The demo client in a real headless browser: the newcomer's first sign-in, end to end."""
import base64
import json
import os
import pathlib
import re
import shutil
import subprocess
import time

import pytest
import requests

from conftest import Server, codes_in, free_port

CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMEDRIVER is None and not os.environ.get("CI"), reason="chromium-driver is not installed")


def chrome(window_size):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={window_size}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    driver = chrome("1000,900")
    yield driver
    driver.quit()


@pytest.fixture
def second_browser():
    """A phone, for links opened on another device."""
    driver = chrome("390,844")
    yield driver
    driver.quit()


def page_replaced(error):
    """Whether a WebDriver error says that the element's page is gone: stale, or, while the next page is replacing it,
    chromedriver's "unknown error" that the node "does not belong to the document"."""
    from selenium.common.exceptions import StaleElementReferenceException

    return isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)


def wait(condition, timeout=20):
    """Polls until the condition holds; an element missing or replaced while a page loads counts as not yet."""
    from selenium.common.exceptions import NoSuchElementException, WebDriverException

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = condition()
        except NoSuchElementException:
            value = None
        except WebDriverException as error:
            if not page_replaced(error):
                raise
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def click_through(driver, element, timeout=20):
    """Clicks a link or a form's button and returns once the page it leads to has replaced this one. The click can return
    before the browser starts that navigation: an element looked up in that moment belongs to the old page and is gone
    by the time it is used."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    def gone(old_page):
        try:
            old_page.is_enabled()
            return False
        except WebDriverException as error:
            if page_replaced(error):
                return True
            raise

    old_page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait(lambda: gone(old_page), timeout)
    wait(lambda: driver.execute_script("return document.readyState") == "complete", timeout)


def wait_until_healthy(process, issuer):
    def healthy():
        assert process.poll() is None, "the server exited"
        try:
            return requests.get(issuer + "/healthz", timeout=1).ok
        except requests.ConnectionError:
            return False
    wait(healthy)


SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def test_demo_signs_in_calls_the_api_refreshes_and_signs_out(binary, smtp, tmp_path, browser):
    """The whole reference architecture in a real browser: site, API and Logintoo, with the code from a real SMTP server."""
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    step = iter(range(1, 100))

    def shot(name):
        browser.save_screenshot(str(SCREENSHOTS / f"{next(step):02d}-{name}.png"))

    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "server.log", "w")
    data = ["--data-dir", str(tmp_path / "data")]
    process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--smtp-url", f"smtp://127.0.0.1:{smtp.port}",
                                *data], stdout=log, stderr=log)
    try:
        wait_until_healthy(process, issuer)
        subprocess.run([binary, "client", "set", "logintoo-demo", "accessTokenExp=60", *data], check=True, capture_output=True)
        browser.get(issuer + "/demo")
        shot("demo")
        browser.find_element(By.ID, "sign-in").click()
        wait(lambda: browser.find_elements(By.NAME, "email"))
        shot("email-form")
        browser.find_element(By.NAME, "email").send_keys("visitor@example.com")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        code = smtp.code_for("visitor@example.com")
        field = wait(lambda: browser.find_elements(By.NAME, "code"))[0]
        shot("code-form")
        field.send_keys(code)
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
        wait(lambda: '"sub"' in browser.find_element(By.ID, "me").text)
        me = browser.find_element(By.ID, "me").text
        assert '"email": "visitor@example.com"' in me and '"client_id": "logintoo-demo"' in me
        shot("signed-in-api-answer")
        browser.set_window_size(390, 844)
        shot("phone")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
        browser.set_window_size(1000, 900)

        browser.find_element(By.ID, "note-text").send_keys("Buy milk")
        browser.find_element(By.CSS_SELECTOR, "#note-form button").click()
        wait(lambda: "Buy milk" in browser.find_element(By.ID, "notes").text)
        shot("note-created")
        first_refresh_token = json.loads(browser.find_element(By.ID, "tokens").get_attribute("textContent"))["refresh_token"]

        wait(lambda: browser.find_element(By.ID, "refreshes").text == "1", timeout=75)
        wait(lambda: "Buy milk" in browser.find_element(By.ID, "notes").text)
        tokens = json.loads(browser.find_element(By.ID, "tokens").get_attribute("textContent"))
        assert tokens["refresh_token"] != first_refresh_token
        browser.find_element(By.ID, "note-text").send_keys("Call Sam")
        browser.find_element(By.CSS_SELECTOR, "#note-form button").click()
        wait(lambda: "Call Sam" in browser.find_element(By.ID, "notes").text)
        shot("after-silent-refresh")

        browser.find_element(By.ID, "sign-out").click()
        wait(lambda: browser.current_url.startswith(issuer + "/demo") and browser.find_element(By.ID, "sign-in").is_displayed())
        shot("signed-out")
        refused = requests.post(issuer + "/token", data={"grant_type": "refresh_token", "client_id": "logintoo-demo",
                                                         "refresh_token": tokens["refresh_token"]})
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", "revoked, whatever the key"
        audit = subprocess.run([binary, "audit", "--json", "--kind", "grant_revoked", *data], check=True, capture_output=True)
        assert [event["client_id"] for event in json.loads(audit.stdout)] == ["logintoo-demo"]
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


def stored_dpop_key(browser):
    """The demo's DPoP key as the page's IndexedDB holds it (`None` when there is none): its curve and whether its private
    key could be exported."""
    return browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const opening = indexedDB.open("logintoo-demo", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("keys");
        opening.onsuccess = () => {
          const request = opening.result.transaction("keys").objectStore("keys").get("dpop");
          request.onsuccess = () => done(request.result ? { curve: request.result.privateKey.algorithm.namedCurve,
                                                            extractable: request.result.privateKey.extractable } : null);
        };""")


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_the_demo_tokens_are_bound_to_a_key_a_copy_of_them_lacks(binary, smtp, tmp_path, browser):
    """RFC 9449 in a real browser: the page's tokens are DPoP-bound to a key kept in IndexedDB that cannot be exported.
    Copied into another HTTP client they are refused, while the page keeps working, after a reload too."""
    from selenium.webdriver.common.by import By

    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--demo", "true"]).start()
    issuer = server.issuer
    try:
        browser.get(issuer + "/demo")
        browser.find_element(By.ID, "sign-in").click()
        wait(lambda: browser.find_elements(By.NAME, "email"))
        browser.find_element(By.NAME, "email").send_keys("holder@example.com")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        code = smtp.code_for("holder@example.com")
        wait(lambda: browser.find_elements(By.NAME, "code"))[0].send_keys(code)
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
        wait(lambda: '"sub"' in browser.find_element(By.ID, "me").text)
        assert browser.find_element(By.ID, "token-type").text == "DPoP"
        assert browser.find_element(By.ID, "refreshes").text == "0"
        assert stored_dpop_key(browser) == {"curve": "P-256", "extractable": False}
        access_token = json.loads(browser.find_element(By.ID, "tokens").get_attribute("textContent"))["access_token"]
        assert len(jwt_claims(access_token)["cnf"]["jkt"]) == 43
        refresh_token = browser.execute_script("return sessionStorage.getItem('demo-refresh-token')")

        copied = requests.post(issuer + "/token", data={"grant_type": "refresh_token", "client_id": "logintoo-demo",
                                                        "refresh_token": refresh_token})
        assert copied.status_code == 400 and copied.json()["error"] == "invalid_dpop_proof", copied.text
        as_bearer = requests.get(issuer + "/demo/api/me", headers={"Authorization": "Bearer " + access_token})
        assert as_bearer.status_code == 401 and as_bearer.json()["error"] == "invalid_token"
        without_proof = requests.get(issuer + "/demo/api/me", headers={"Authorization": "DPoP " + access_token})
        assert without_proof.status_code == 401 and without_proof.json()["error"] == "invalid_dpop_proof"

        # The reload finds the same refresh token and the same key: the refused copy left the page's binding intact.
        browser.refresh()
        wait(lambda: browser.find_element(By.ID, "refreshes").text == "1" and '"sub"' in browser.find_element(By.ID, "me").text)
        assert browser.find_element(By.ID, "token-type").text == "DPoP"
        assert browser.execute_script("return sessionStorage.getItem('demo-refresh-token')") != refresh_token
        browser.find_element(By.ID, "note-text").send_keys("Still mine")
        browser.find_element(By.CSS_SELECTOR, "#note-form button").click()
        wait(lambda: "Still mine" in browser.find_element(By.ID, "notes").text)

        browser.find_element(By.ID, "sign-out").click()
        wait(lambda: browser.current_url.startswith(issuer + "/demo") and browser.find_element(By.ID, "sign-in").is_displayed())
        assert stored_dpop_key(browser) is None, "signing out forgets the key"
    finally:
        assert server.stop() == 0


def test_demo_signs_in_and_out_with_an_emailed_code(binary, tmp_path, browser):
    from selenium.webdriver.common.by import By

    port = free_port()
    console = tmp_path / "console.log"
    with open(console, "w") as out:
        process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=out,
                                   stderr=subprocess.DEVNULL)
    try:
        demo = f"http://127.0.0.1:{port}/demo"
        wait(lambda: "/demo" in console.read_text())
        browser.get(demo)
        browser.find_element(By.ID, "sign-in").click()
        wait(lambda: browser.find_elements(By.NAME, "email"))
        email = browser.find_element(By.NAME, "email")
        assert email.get_attribute("autocomplete") == "username webauthn", "addresses and passkeys are offered as one"
        email.send_keys("newcomer@example.com")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        code = wait(lambda: (codes_in(console.read_text()) or [None])[-1])
        field = wait(lambda: browser.find_elements(By.NAME, "code"))[0]
        assert field.get_attribute("autocomplete") == "one-time-code"
        field.send_keys(code)
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
        wait(lambda: browser.find_element(By.ID, "result").is_displayed())
        assert browser.find_element(By.ID, "who").text == "newcomer@example.com"
        claims = browser.find_element(By.ID, "claims").get_attribute("textContent")
        assert '"email_verified": true' in claims and '"nonce"' in claims
        assert '"refresh_token"' in browser.find_element(By.ID, "tokens").get_attribute("textContent")
        browser.save_screenshot(str(tmp_path / "demo-signed-in.png"))
        assert browser.current_url == demo, "the code is removed from the address bar"

        browser.find_element(By.ID, "sign-out").click()
        wait(lambda: browser.current_url.startswith(demo) and browser.find_element(By.ID, "sign-in").is_displayed())
        browser.find_element(By.ID, "sign-in").click()
        wait(lambda: browser.find_elements(By.NAME, "email"))
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


@pytest.mark.parametrize("language, heading", [("de", "Bei Logintoo demo anmelden"), ("ja", "Logintoo demo にサインイン"),
                                               ("uk", "Увійти до Logintoo demo")])
def test_the_login_page_in_three_languages_and_on_a_phone(binary, tmp_path, browser, language, heading):
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(process, issuer)
        browser.get(issuer + "/authorize?" + requests.compat.urlencode({
            "response_type": "code", "client_id": "logintoo-demo", "redirect_uri": issuer + "/demo", "scope": "openid email",
            "state": "s", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256",
            "ui_locales": language}))
        wait(lambda: browser.find_elements(By.NAME, "email"))
        assert browser.find_element(By.TAG_NAME, "h1").text == heading
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        browser.save_screenshot(str(SCREENSHOTS / f"login-{language}.png"))
        browser.set_window_size(390, 844)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
        browser.save_screenshot(str(SCREENSHOTS / f"login-{language}-phone.png"))
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


def magic_link(smtp, recipient):
    text = smtp.wait_for(recipient).get_body(preferencelist=("plain",)).get_content()
    return next(word for word in text.split() if "/login/link?t=" in word)


@pytest.mark.parametrize("device", ["same browser", "another device"])
def test_the_emailed_link_signs_in_on_the_same_or_another_device(binary, smtp, tmp_path, browser, second_browser, device):
    """A scanner's GET and HEAD first; then the person: in the browser that asked, or on a phone whose confirmation lets
    the waiting browser continue by itself."""
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--smtp-url", f"smtp://127.0.0.1:{smtp.port}",
                                "--data-dir", str(tmp_path / "data")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(process, issuer)
        recipient = f"link-{device.replace(' ', '-')}-{port}@example.com"
        browser.get(issuer + "/demo")
        browser.find_element(By.ID, "sign-in").click()
        wait(lambda: browser.find_elements(By.NAME, "email"))
        browser.find_element(By.NAME, "email").send_keys(recipient)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(lambda: browser.find_elements(By.NAME, "code"))
        link = magic_link(smtp, recipient)
        for method in ("HEAD", "GET"):
            assert requests.request(method, link, timeout=10).status_code == 200, "a mail scanner's prefetch"
        if device == "same browser":
            browser.get(link)
            browser.find_element(By.CSS_SELECTOR, "form[action='/login/link'] button").click()
        else:
            number = re.search(r"enter (\d\d)\.", browser.find_element(By.TAG_NAME, "main").text).group(1)
            second_browser.get(link)
            second_browser.find_element(By.NAME, "number").send_keys(number)
            second_browser.save_screenshot(str(SCREENSHOTS / "magic-link-phone.png"))
            second_browser.find_element(By.CSS_SELECTOR, "form[action='/login/link'] button").click()
            wait(lambda: "/login/link" in second_browser.current_url and second_browser.find_element(By.TAG_NAME, "h1").text == "Done")
        wait(lambda: browser.current_url.startswith(issuer + "/demo") and browser.find_element(By.ID, "who").text == recipient,
             timeout=30)
        browser.save_screenshot(str(SCREENSHOTS / f"magic-link-{device.replace(' ', '-')}.png"))
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
