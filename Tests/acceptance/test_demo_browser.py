"""The demo client in a real headless browser: the newcomer's first sign-in, end to end."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import time

import pytest
import requests

from conftest import free_port

CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMEDRIVER is None and not os.environ.get("CI"), reason="chromium-driver is not installed")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait(condition, timeout=20):
    """Polls until the condition holds; an element missing or replaced while a page loads counts as not yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = condition()
        except (NoSuchElementException, StaleElementReferenceException):
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


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
        def healthy():
            assert process.poll() is None, "the server exited"
            try:
                return requests.get(issuer + "/healthz", timeout=1).ok
            except requests.ConnectionError:
                return False
        wait(healthy)
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
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


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
        assert email.get_attribute("autocomplete") == "email"
        email.send_keys("newcomer@example.com")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        code = wait(lambda: (re.findall(r"^(\d{8})$", console.read_text(), re.M) or [None])[-1])
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
