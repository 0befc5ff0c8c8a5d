"""The account page against the built binary: a person with two browsers sees both sessions (browser, network prefix,
this browser) and ends one from the other; another person's session is never shown or ended; "delete my account" with
the code the SMTP sink received erases the account and signs the browser out (docs/security.md N90, N91). In headless
Chromium, at desktop and phone width, one of a person's two sessions is ended from the other; screenshots go to
test-artifacts/screenshots/."""
import json
import os
import re
import subprocess

import pytest

from attack import client_id, exchange, pkce, authorize_url, address, query, refresh, target  # noqa: F401
from browser import Person, hidden
from conftest import free_port
from test_demo_browser import CHROMEDRIVER, SCREENSHOTS, browser, chrome, second_browser, wait, wait_until_healthy  # noqa: F401

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
          "Mobile/15E148 Safari/604.1")


def person_at(target, smtp, email, user_agent):
    person = Person(target, smtp, email)
    person.http.headers["User-Agent"] = user_agent
    return person


def signed_in(target, smtp, client_id, person, count):
    """Signs `person` in (their `count`th email); returns the client's tokens."""
    verifier, challenge = pkce()
    location = person.sign_in(authorize_url(target, client_id, challenge, prompt="login"), count=count)
    answer = exchange(target, client_id, query(location)["code"], verifier)
    assert answer.status_code == 200, answer.text
    return answer.json()


def session_rows(page):
    """(session id, row text) of each session the account page lists."""
    rows = page.split("<li")[1:]
    return [(hidden(row, "session"), row) for row in rows if 'name="session"' in row]


def test_two_browsers_of_one_person_and_one_ends_the_other(target, smtp, client_id):
    email = address("sessions")
    laptop, phone = person_at(target, smtp, email, FIREFOX), person_at(target, smtp, email, IPHONE)
    laptop_tokens = signed_in(target, smtp, client_id, laptop, 1)
    phone_tokens = signed_in(target, smtp, client_id, phone, 2)
    page = laptop.http.get(target.issuer + "/account")
    assert page.status_code == 200 and email in page.text
    rows = session_rows(page.text)
    assert len(rows) == 2
    mine = [row for _, row in rows if "aria-current" in row]
    assert len(mine) == 1 and "Firefox (Linux)" in mine[0] and "this browser" in mine[0]
    assert all("network 127.0.0.0/24" in row for _, row in rows) and "127.0.0.1" not in page.text
    assert re.search(r"signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC", page.text)
    assert "<strong>Site</strong>" in page.text, "the site the person signed in to"
    phone_session = next(id for id, row in rows if "Safari (iPhone)" in row)

    stranger = person_at(target, smtp, address("stranger"), FIREFOX)
    signed_in(target, smtp, client_id, stranger, 1)
    theirs = stranger.http.get(target.issuer + "/account")
    assert phone_session not in theirs.text and "Safari (iPhone)" not in theirs.text
    refused = stranger.http.post(target.issuer + "/account/sessions/end", allow_redirects=False,
                                 data={"csrf": hidden(theirs.text, "csrf"), "session": phone_session})
    assert refused.status_code == 404, "another person's session is not found"
    forged = stranger.http.post(target.issuer + "/account/sessions/end", allow_redirects=False,
                                data={"csrf": hidden(page.text, "csrf"), "session": phone_session})
    assert forged.status_code == 403, "another session's CSRF token is refused"
    assert refresh(target, client_id, phone_tokens["refresh_token"]).status_code == 200

    ended = laptop.http.post(target.issuer + "/account/sessions/end", allow_redirects=False,
                             data={"csrf": hidden(page.text, "csrf"), "session": phone_session})
    assert ended.status_code == 303 and ended.headers["Location"] == "/account"
    assert phone.http.get(target.issuer + "/account").status_code == 403, "the phone is signed out"
    assert refresh(target, client_id, phone_tokens["refresh_token"]).status_code == 400, "its grants are revoked"
    assert refresh(target, client_id, laptop_tokens["refresh_token"]).status_code == 200
    assert "Safari (iPhone)" not in laptop.http.get(target.issuer + "/account").text

    everywhere = laptop.http.post(target.issuer + "/account/sessions/end-all", data={"csrf": hidden(page.text, "csrf")})
    assert everywhere.status_code == 200 and "You are signed out" in everywhere.text
    assert laptop.http.get(target.issuer + "/account").status_code == 403


def test_delete_my_account_with_the_emailed_code(target, smtp, client_id):
    email = address("deletion")
    person = person_at(target, smtp, email, FIREFOX)
    tokens = signed_in(target, smtp, client_id, person, 1)
    csrf = hidden(person.http.get(target.issuer + "/account").text, "csrf")
    asked = person.http.post(target.issuer + "/account/delete", data={"csrf": csrf})
    assert asked.status_code == 200 and f"We sent a code to {email}" in asked.text
    message = smtp.wait_for(email, count=2)
    assert message["Subject"] == "Confirm deleting your account"
    code = smtp.code_for(email, count=2)
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    refused = person.http.post(target.issuer + "/account/delete/confirm", data={"csrf": csrf, "code": wrong})
    assert refused.status_code == 400 and "4 attempts left" in refused.text
    erased = person.http.post(target.issuer + "/account/delete/confirm", data={"csrf": csrf, "code": code})
    assert erased.status_code == 200 and "Your account is deleted" in erased.text
    assert person.http.get(target.issuer + "/account").status_code == 403
    assert refresh(target, client_id, tokens["refresh_token"]).status_code == 400
    again = person.http.post(target.issuer + "/account/delete/confirm", data={"csrf": csrf, "code": code})
    assert again.status_code == 403, "the code worked once, and the browser is signed out"
    assert json.loads(target.cli("account", "list", "--prefix", email, "--json").stdout) == []


def sign_in_at_the_demo(driver, smtp, issuer, email, count):
    """Signs in to the demo client in a real browser with the `count`th code emailed to `email`."""
    from selenium.webdriver.common.by import By

    driver.get(issuer + "/demo")
    driver.find_element(By.ID, "sign-in").click()
    wait(lambda: driver.find_elements(By.NAME, "email"))
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    code = smtp.code_for(email, count)
    wait(lambda: driver.find_elements(By.NAME, "code"))[0].send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
    arrived = lambda: driver.current_url.startswith(issuer + "/demo") and '"sub"' in driver.find_element(By.ID, "me").text
    if wait(lambda: arrived() or driver.find_elements(By.ID, "passkey-skip"), timeout=30) is not True:
        driver.find_element(By.ID, "passkey-skip").click()
        wait(arrived, timeout=30)


@pytest.mark.skipif(CHROMEDRIVER is None and not os.environ.get("CI"), reason="chromium-driver is not installed")
def test_a_person_ends_one_of_two_sessions_from_the_account_page_in_a_browser(binary, smtp, tmp_path, browser,
                                                                               second_browser):
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--smtp-url", f"smtp://127.0.0.1:{smtp.port}",
                                "--data-dir", str(tmp_path / "data"), "--send-interval", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(process, issuer)
        email = f"account-page-{port}@example.com"
        sign_in_at_the_demo(browser, smtp, issuer, email, 1)
        sign_in_at_the_demo(second_browser, smtp, issuer, email, 2)

        browser.get(issuer + "/account")
        rows = browser.find_elements(By.CSS_SELECTOR, "#sessions li")
        assert len(rows) == 2 and all("network 127.0.0.0/24" in row.text for row in rows)
        assert [row.get_attribute("aria-current") for row in rows].count("true") == 1
        assert "Logintoo demo" in browser.find_element(By.ID, "sites").text
        browser.save_screenshot(str(SCREENSHOTS / "account-sessions.png"))
        second_browser.set_window_size(390, 844)
        second_browser.get(issuer + "/account")
        wait(lambda: second_browser.find_elements(By.CSS_SELECTOR, "#sessions li"))
        assert second_browser.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
        second_browser.save_screenshot(str(SCREENSHOTS / "account-sessions-phone.png"))

        other = next(row for row in rows if row.get_attribute("aria-current") is None)
        other.find_element(By.CSS_SELECTOR, "form[action='/account/sessions/end'] button").click()
        wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#sessions li")) == 1)
        assert browser.find_element(By.CSS_SELECTOR, "#sessions li").get_attribute("aria-current") == "true"
        browser.save_screenshot(str(SCREENSHOTS / "account-one-session-ended.png"))
        second_browser.refresh()
        wait(lambda: second_browser.find_element(By.TAG_NAME, "h1").text == "You are not signed in")
        second_browser.save_screenshot(str(SCREENSHOTS / "account-phone-signed-out.png"))
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
