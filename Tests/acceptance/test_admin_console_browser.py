"""The admin console in a real headless browser, at desktop and phone width: an admin signs in through the hosted pages,
creates a client (its secret shown once), finds a person, disables them (their refresh fails at once), enables and erases them. Screenshots of each step."""
import json

import pytest
import requests

from attack import address, client_id, exchange, sign_in, target  # noqa: F401
from test_demo_browser import CHROMEDRIVER, SCREENSHOTS, chrome, click_through, wait

pytestmark = pytest.mark.skipif(CHROMEDRIVER is None, reason="chromium-driver is not installed")


@pytest.fixture
def desktop():
    driver = chrome("1100,900")
    yield driver
    driver.quit()


def test_an_admin_creates_a_client_and_disables_enables_and_erases_a_person_in_the_console(target, smtp, client_id, desktop):
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name):
        desktop.save_screenshot(str(SCREENSHOTS / f"admin-console-{name}.png"))

    admin_email, person_email = address("browser-admin"), address("browser-person")
    target.cli("admin", "grant", admin_email)
    code, verifier, person = sign_in(target, smtp, client_id, email=person_email)
    tokens = exchange(target, client_id, code, verifier).json()
    assert person.http.get(target.issuer + "/account").status_code == 200, "the person's own page, signed in"

    desktop.get(target.issuer + "/admin")
    wait(lambda: desktop.find_elements(By.NAME, "email"))
    desktop.find_element(By.NAME, "email").send_keys(admin_email)
    click_through(desktop, desktop.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    admin_code = smtp.code_for(admin_email)
    desktop.find_element(By.NAME, "code").send_keys(admin_code)
    click_through(desktop, desktop.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button"))
    wait(lambda: desktop.find_elements(By.ID, "admin-search"))
    shot("01-signed-in")

    click_through(desktop, desktop.find_element(By.LINK_TEXT, "Clients"))
    desktop.find_element(By.ID, "field-name").send_keys("Browser-made job")
    desktop.find_element(By.ID, "field-redirect_uris").send_keys("https://job.example.com/cb")
    desktop.find_element(By.ID, "field-confidential").click()
    desktop.find_element(By.ID, "field-admin").click()
    shot("01a-new-client")
    click_through(desktop, desktop.find_element(By.ID, "admin-new-client"))
    secret = wait(lambda: desktop.find_elements(By.ID, "admin-client-secret"))[0].text
    new_client = desktop.find_element(By.ID, "admin-client-id").text
    shot("01b-client-created")
    issued = requests.post(target.issuer + "/token", data={"grant_type": "client_credentials", "scope": "admin"},
                           auth=(new_client, secret), timeout=10)
    assert issued.status_code == 200, "the new client's secret works at /token"
    click_through(desktop, desktop.find_element(By.ID, "admin-client-link"))
    wait(lambda: desktop.find_elements(By.ID, "admin-client-save"))
    assert secret not in desktop.page_source, "the secret is shown once"
    desktop.set_window_size(390, 844)
    shot("01c-client-phone")
    assert desktop.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    desktop.set_window_size(1100, 900)
    desktop.get(target.issuer + "/admin")
    wait(lambda: desktop.find_elements(By.ID, "admin-search"))

    desktop.find_element(By.ID, "q").send_keys(person_email[:20])
    click_through(desktop, desktop.find_element(By.ID, "admin-search"))
    link = wait(lambda: [a for a in desktop.find_elements(By.CSS_SELECTOR, "#admin-results a") if a.text == person_email])[0]
    shot("02-search")
    click_through(desktop, link)
    wait(lambda: desktop.find_elements(By.ID, "admin-disable"))
    shot("03-account")
    click_through(desktop, desktop.find_element(By.ID, "admin-disable"))
    wait(lambda: desktop.find_element(By.ID, "admin-account-state").text == "disabled")
    shot("04-disabled")
    refused = requests.post(target.issuer + "/token", data={"grant_type": "refresh_token", "client_id": client_id,
                                                            "refresh_token": tokens["refresh_token"]}, timeout=10)
    assert refused.json()["error"] == "invalid_grant", "the person's refresh fails at once"
    assert person.http.get(target.issuer + "/account").status_code == 403, "and their page at this server is signed out"

    click_through(desktop, desktop.find_element(By.ID, "admin-enable"))
    wait(lambda: desktop.find_element(By.ID, "admin-account-state").text == "active")
    desktop.set_window_size(390, 844)
    shot("05-phone")
    assert desktop.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    desktop.set_window_size(1100, 900)

    desktop.find_element(By.ID, "admin-erase-confirm").click()
    click_through(desktop, desktop.find_element(By.ID, "admin-erase"))
    wait(lambda: "Erased" in desktop.find_element(By.ID, "admin-notice").text)
    shot("06-erased")
    missing = target.cli("account", "show", person_email, check=False)
    assert missing.returncode == 1
    kinds = {event["kind"] for event in json.loads(target.cli("audit", "--json", "--kind", "account_erased").stdout)}
    assert kinds == {"account_erased"}
