"""Attacks on the login pages and the session (docs/security.md section B): CSRF on the email and code forms, cross-site
posts, framing and the other page headers, cookie attributes, session fixation, safe methods, logout."""
import pytest
import requests

from attack import (REDIRECT, address, authorize_url, begin, client_id, exchange, pkce, query, refresh, sign_in,  # noqa: F401
                    target)
from browser import Person, hidden


def email_page(target, client_id):
    person = Person(target, None, address("csrf"))
    page = person.open(authorize_url(target, client_id, pkce()[1]))
    return person, page


def sent_to(smtp, recipient):
    return any(recipient in rcpt for rcpt, _, _ in smtp.messages)


@pytest.mark.parametrize("forgery", ["missing", "wrong", "another browser's"])
def test_email_form_refuses_a_forged_csrf_token(target, smtp, client_id, forgery):
    person, page = email_page(target, client_id)
    tx, csrf = hidden(page.text, "tx"), hidden(page.text, "csrf")
    form = {"tx": tx, "email": person.email}
    if forgery == "wrong":
        form["csrf"] = csrf[:-4] + "AAAA"
    elif forgery == "another browser's":
        _, other = email_page(target, client_id)
        form["csrf"] = hidden(other.text, "csrf")
    answer = person.http.post(target.issuer + "/login/email", data=form, allow_redirects=False)
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert not sent_to(smtp, person.email)


@pytest.mark.parametrize("header", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                    {"Sec-Fetch-Site": "same-site"}])
def test_email_form_refuses_cross_site_posts(target, smtp, client_id, header):
    person, page = email_page(target, client_id)
    answer = person.http.post(target.issuer + "/login/email", headers=header, allow_redirects=False,
                              data={"tx": hidden(page.text, "tx"), "csrf": hidden(page.text, "csrf"), "email": person.email})
    assert answer.status_code == 400 and not sent_to(smtp, person.email)


@pytest.mark.parametrize("forgery", ["missing", "another browser's", "cross-site"])
def test_code_form_refuses_forgery_and_counts_nothing(target, smtp, client_id, forgery):
    person, _ = begin(target, smtp, client_id, address("codecsrf"))
    code = smtp.code_for(person.email)
    form, headers = {"tx": person.tx, "code": code}, {}
    if forgery == "another browser's":
        _, other = email_page(target, client_id)
        form["csrf"] = hidden(other.text, "csrf")
    elif forgery == "cross-site":
        form["csrf"] = person.csrf
        headers["Sec-Fetch-Site"] = "cross-site"
    forged = person.http.post(target.issuer + "/login/code", data=form, headers=headers, allow_redirects=False)
    assert forged.status_code == 400 and "Location" not in forged.headers
    assert person.submit_code(code).status_code == 303, "the forged post used up nothing"


PAGE_HEADERS = {
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "same-origin",
}


def emailed_link(smtp, recipient, path):
    text = smtp.wait_for(recipient).get_body(preferencelist=("plain",)).get_content()
    return next(word for word in text.split() if path in word)


@pytest.mark.parametrize("which", ["email page", "code page", "error page", "expired page", "magic link page",
                                   "this wasn't me page"])
def test_every_page_forbids_framing_and_sets_the_security_headers(target, smtp, client_id, which):
    if which == "email page":
        answer = email_page(target, client_id)[1]
    elif which == "code page":
        person, _ = begin(target, smtp, client_id, address("headers"))
        answer = person.http.get(target.issuer + "/login?tx=" + person.tx)
    elif which == "error page":
        answer = requests.get(authorize_url(target, "no-such-client", pkce()[1]))
    elif which in ("magic link page", "this wasn't me page"):
        person, _ = begin(target, smtp, client_id, address("landing"))
        answer = requests.get(emailed_link(smtp, person.email, "/login/link?t=" if which == "magic link page" else "/login/not-me?t="))
        assert answer.status_code == 200
    else:
        answer = requests.post(target.issuer + "/login/code", data={"tx": "nothing", "csrf": "x", "code": "12345678"})
    for name, value in PAGE_HEADERS.items():
        assert answer.headers.get(name) == value, name
    policy = answer.headers["Content-Security-Policy"]
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in policy
    assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]
    assert "https://" not in answer.text.split("<body", 1)[0], "no third-party resources in the page head"


def test_cookies_are_host_only_http_only_and_same_site(target, smtp, client_id):
    person, _ = begin(target, smtp, client_id, address("cookies"))
    done = person.submit_code(smtp.code_for(person.email))
    cookies = [value for name, value in done.raw.headers.items() if name.lower() == "set-cookie"]
    assert cookies
    for cookie in cookies:
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes
        assert not any(part.startswith("domain=") for part in attributes)


def test_signing_in_issues_a_new_session_id(target, smtp, client_id):
    person, _ = begin(target, smtp, client_id, address("fixation"))
    before = dict(person.http.cookies)
    person.submit_code(smtp.code_for(person.email))
    after = dict(person.http.cookies)
    session = [name for name in after if "session" in name]
    assert session and all(after[name] not in before.values() for name in session)
    assert not any("browser" in name for name in after), "the pre-login cookie is discarded"


def test_safe_methods_change_nothing(target, smtp, client_id):
    person, _ = begin(target, smtp, client_id, address("safe"))
    code = smtp.code_for(person.email)
    for method in ("GET", "HEAD"):
        answer = person.http.request(method, target.issuer + "/login/code", params={"tx": person.tx, "csrf": person.csrf,
                                                                                   "code": code}, allow_redirects=False)
        assert answer.status_code in (404, 405)
    assert person.submit_code(code).status_code == 303


def test_a_code_post_redirects_with_303(target, smtp, client_id):
    person, _ = begin(target, smtp, client_id, address("see-other"))
    assert person.submit_code(smtp.code_for(person.email)).status_code == 303


def test_logout_ends_the_session_and_revokes_its_refresh_tokens(target, smtp, client_id):
    code, verifier, person = sign_in(target, smtp, client_id)
    issued = exchange(target, client_id, code, verifier).json()
    out = person.http.get(target.issuer + "/logout", params={"id_token_hint": issued["id_token"], "client_id": client_id},
                          allow_redirects=False)
    if out.status_code == 200 and "csrf" in out.text:
        out = person.http.post(target.issuer + "/logout", data={"csrf": hidden(out.text, "csrf"), "id_token_hint": issued["id_token"],
                                                                "client_id": client_id}, allow_redirects=False)
    assert out.status_code in (200, 303)
    assert refresh(target, client_id, issued["refresh_token"]).json()["error"] == "invalid_grant"
    again = person.open(authorize_url(target, client_id, pkce()[1], prompt="none"))
    assert again.status_code == 303 and query(again.headers["Location"])["error"] == "login_required"


def signed_in_with_tokens(target, smtp, client_id, name):
    """A person signed in, with the tokens of their sign-in: (person, token response)."""
    code, verifier, person = sign_in(target, smtp, client_id, address(name))
    issued = exchange(target, client_id, code, verifier)
    assert issued.status_code == 200, issued.text
    return person, issued.json()


def has_session(target, person, client_id):
    again = person.open(authorize_url(target, client_id, pkce()[1], prompt="none"))
    return again.status_code == 303 and "code" in query(again.headers["Location"])


def logout_link(target, person, client_id, hint):
    return person.http.get(target.issuer + "/logout", allow_redirects=False, params={
        "id_token_hint": hint, "client_id": client_id, "post_logout_redirect_uri": "http://127.0.0.1:9/signed-out",
        "state": "bye"})


def test_logout_with_a_foreign_id_token_hint_leaves_the_session_intact_and_asks(target, smtp, client_id):
    victim, victims = signed_in_with_tokens(target, smtp, client_id, "logout-victim")
    _, attackers = signed_in_with_tokens(target, smtp, client_id, "logout-attacker")
    page = logout_link(target, victim, client_id, attackers["id_token"])
    assert page.status_code == 200 and hidden(page.text, "csrf"), "the page asks"
    assert "set-cookie" not in page.headers, "the session cookie is kept"
    assert has_session(target, victim, client_id)
    assert refresh(target, client_id, victims["refresh_token"]).status_code == 200, "the victim's refresh tokens still work"


@pytest.mark.parametrize("forgery", ["missing", "wrong", "another browser's"])
def test_a_logout_post_without_the_pages_csrf_token_ends_nothing(target, smtp, client_id, forgery):
    victim, victims = signed_in_with_tokens(target, smtp, client_id, "logout-forged")
    attacker, attackers = signed_in_with_tokens(target, smtp, client_id, "logout-forger")
    logout_link(target, victim, client_id, attackers["id_token"])
    form = {"id_token_hint": attackers["id_token"], "client_id": client_id}
    if forgery == "wrong":
        form["csrf"] = "A" * 43
    elif forgery == "another browser's":
        form["csrf"] = hidden(logout_link(target, attacker, client_id, victims["id_token"]).text, "csrf")
    answer = victim.http.post(target.issuer + "/logout", data=form, allow_redirects=False)
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert has_session(target, victim, client_id)
    assert refresh(target, client_id, victims["refresh_token"]).status_code == 200


def test_a_cross_site_logout_post_without_the_session_cookie_clears_nothing_in_the_browser(target, smtp, client_id):
    """A browser sends no SameSite=Lax cookie with another site's POST; the answer must not clear the one it keeps."""
    victim, victims = signed_in_with_tokens(target, smtp, client_id, "logout-cross-site")
    answer = requests.post(target.issuer + "/logout", data={"csrf": "x", "client_id": client_id},
                           headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert answer.status_code == 400 and "Set-Cookie" not in answer.headers, answer.headers
    assert has_session(target, victim, client_id)
    assert refresh(target, client_id, victims["refresh_token"]).status_code == 200


def test_the_confirmation_post_ends_the_session_and_returns_to_the_client(target, smtp, client_id):
    victim, victims = signed_in_with_tokens(target, smtp, client_id, "logout-confirms")
    _, attackers = signed_in_with_tokens(target, smtp, client_id, "logout-planter")
    page = logout_link(target, victim, client_id, attackers["id_token"])
    form = {name: hidden(page.text, name) for name in ("csrf", "client_id", "post_logout_redirect_uri", "state")}
    answer = victim.http.post(target.issuer + "/logout", data=form, allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"] == "http://127.0.0.1:9/signed-out?state=bye"
    assert not has_session(target, victim, client_id)
    assert refresh(target, client_id, victims["refresh_token"]).json()["error"] == "invalid_grant"


def test_a_hint_for_this_session_still_logs_out_without_asking(target, smtp, client_id):
    person, issued = signed_in_with_tokens(target, smtp, client_id, "logout-own")
    answer = logout_link(target, person, client_id, issued["id_token"])
    assert answer.status_code == 303 and answer.headers["Location"] == "http://127.0.0.1:9/signed-out?state=bye"
    assert not has_session(target, person, client_id)
    assert refresh(target, client_id, issued["refresh_token"]).json()["error"] == "invalid_grant"
