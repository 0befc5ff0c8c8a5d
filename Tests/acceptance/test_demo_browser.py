"""The demo client in a real headless browser: the newcomer's first sign-in, end to end."""
import os
import re
import shutil
import subprocess
import time

import pytest

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
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


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
        claims = browser.find_element(By.ID, "claims").text
        assert '"email_verified": true' in claims and '"nonce"' in claims
        assert '"refresh_token"' in browser.find_element(By.ID, "tokens").text
        browser.save_screenshot(str(tmp_path / "demo-signed-in.png"))
        assert browser.current_url == demo, "the code is removed from the address bar"

        browser.find_element(By.ID, "sign-out").click()
        wait(lambda: browser.current_url.startswith(demo) and browser.find_element(By.ID, "sign-in").is_displayed())
        browser.find_element(By.ID, "sign-in").click()
        wait(lambda: browser.find_elements(By.NAME, "email"))
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
