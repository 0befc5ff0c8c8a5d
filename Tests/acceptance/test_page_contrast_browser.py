"""WCAG AA contrast of the login and code pages in a real browser, light and dark: every visible text (headings, labels,
buttons, link buttons, error messages) is at least 4.5:1 against the background it is drawn on."""
import pytest

import requests

from attack import REDIRECT, address, authorize_url, client_id, pkce, target  # noqa: F401
from test_demo_browser import CHROMEDRIVER, SCREENSHOTS, chrome, wait

pytestmark = pytest.mark.skipif(CHROMEDRIVER is None, reason="chromium-driver is not installed")

# The contrast of every visible element that draws text of its own, against the first opaque background behind it.
RATIOS = """
const channels = s => { const m = s.match(/rgba?\\(([^)]+)\\)/); return m ? m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number) : null; };
const luminance = p => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(p[0]) + 0.7152 * f(p[1]) + 0.0722 * f(p[2]); };
const background = el => { for (; el; el = el.parentElement) { const c = channels(getComputedStyle(el).backgroundColor);
  if (c && (c.length < 4 || c[3] > 0)) return c; } return [255, 255, 255]; };
const found = [];
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
  const fg = luminance(channels(getComputedStyle(el).color)), bg = luminance(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  found.push({tag: el.tagName, cls: el.className, text: el.textContent.trim().slice(0, 40), ratio: ratio});
}
return found;
"""


def check(browser, page, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.save_screenshot(str(SCREENSHOTS / f"contrast-{page}-{scheme}.png"))
    found = browser.execute_script(RATIOS)
    assert found, "the page shows text"
    low = [item for item in found if item["ratio"] < 4.5]
    assert not low, f"{page} ({scheme}): below 4.5:1: {low}"
    return found


def test_login_and_code_pages_meet_wcag_aa_in_light_and_dark(target, smtp, client_id):
    measure_login_and_code_pages(target, smtp, client_id, "")


def test_pages_with_an_operator_accent_colour_meet_wcag_aa_in_light_and_dark(target, smtp):
    """A client branded by its operator: the accent (#aa3300) draws the buttons and, lightened in dark mode, the link
    buttons and the footer's privacy and terms links; every text still reaches 4.5:1."""
    branded = target.add_client(name="Branded", redirect_uris=[REDIRECT])["client_id"]
    target.cli("client", "set", branded, "accentColor=#aa3300", "privacyURL=https://example.com/privacy",
               "termsURL=https://example.com/terms")
    css = requests.get(f"{target.url}/assets/brand.css?client={branded}", timeout=5).text
    assert "--accent: #aa3300;" in css
    measure_login_and_code_pages(target, smtp, branded, "accent-", accent="rgba(170, 51, 0, 1)")


def measure_login_and_code_pages(target, smtp, client, prefix, accent=None):
    """The email page with an error, then the code page with an error, each measured light and dark; with `accent`, the
    submit button is drawn in it and the footer's links are measured too."""
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser = chrome("1000,900")
    try:
        browser.get(authorize_url(target, client, pkce()[1]))
        field = wait(lambda: browser.find_elements(By.NAME, "email"))[0]
        field.send_keys("not-an-address")
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/email'] button").click()
        wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#email-error"))
        for scheme in ("light", "dark"):
            found = check(browser, prefix + "email-error", scheme)
            assert any(item["cls"] == "error" for item in found), "the error message is measured"
            if accent:
                button = browser.find_element(By.CSS_SELECTOR, "form[action='/login/email'] button")
                assert button.value_of_css_property("background-color") == accent, "the button is drawn in the accent"
                assert {"Privacy", "Terms"} <= {item["text"] for item in found}, "the footer's links are measured"

        email = address("contrast")
        field = browser.find_element(By.NAME, "email")
        field.clear()
        field.send_keys(email)
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/email'] button").click()
        code = wait(lambda: browser.find_elements(By.NAME, "code"))[0]
        smtp.code_for(email)
        code.send_keys("00000000")
        browser.find_element(By.CSS_SELECTOR, "form[action='/login/code'] button").click()
        wait(lambda: browser.find_elements(By.CSS_SELECTOR, "p.error"))
        for scheme in ("light", "dark"):
            found = check(browser, prefix + "code-error", scheme)
            assert any("link" in item["cls"] for item in found), "the link buttons (send a new code, another email) are measured"
    finally:
        browser.quit()
