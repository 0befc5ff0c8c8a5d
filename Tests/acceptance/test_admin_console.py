"""The admin console against the built binary: `logintoo admin grant` makes an admin, who signs in to /admin through the
hosted pages (the console is a client of the server), finds a person and disables them (their refresh fails at once);
a person who is not an admin is refused; console forms refuse a missing or foreign CSRF token."""
import json

import requests

from attack import address, client_id, exchange, sign_in, target  # noqa: F401
from browser import Person, hidden


def console_sign_in(target, smtp, email, count=1):
    """A browser signed in to the console as `email`; (person, the callback's answer)."""
    person = Person(target, smtp, email)
    callback = person.sign_in(target.issuer + "/admin", count=count)
    assert callback.startswith(target.issuer + "/admin/callback?"), callback
    return person, person.http.get(callback, allow_redirects=False)


def test_an_admin_uses_the_console_and_a_person_who_is_not_one_cannot(target, smtp, client_id):
    admin_email, person_email = address("console-admin"), address("console-person")
    assert "may now use the admin console" in target.cli("admin", "grant", admin_email).stdout
    assert admin_email in target.cli("admin", "list").stdout
    code, verifier, _ = sign_in(target, smtp, client_id, email=person_email)
    tokens = exchange(target, client_id, code, verifier).json()

    admin, answer = console_sign_in(target, smtp, admin_email)
    assert answer.status_code == 303 and answer.headers["Location"] == "/admin"
    found = admin.http.get(target.issuer + "/admin", params={"q": person_email})
    assert found.status_code == 200 and person_email in found.text
    account_id = json.loads(target.cli("account", "show", person_email, "--json").stdout)["account"]["id"]
    page = admin.http.get(f"{target.issuer}/admin/accounts/{account_id}")
    assert 'id="admin-disable"' in page.text
    csrf = hidden(page.text, "csrf")

    assert admin.http.post(f"{target.issuer}/admin/accounts/{account_id}/disable", data={}, allow_redirects=False).status_code == 403
    done = admin.http.post(f"{target.issuer}/admin/accounts/{account_id}/disable", data={"csrf": csrf}, allow_redirects=False)
    assert done.status_code == 303
    refreshed = requests.post(target.issuer + "/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                                                              "client_id": client_id}, timeout=10)
    assert refreshed.json()["error"] == "invalid_grant", "the person's refresh fails at once"
    assert 'id="admin-enable"' in admin.http.get(f"{target.issuer}/admin/accounts/{account_id}").text

    stranger, refused = console_sign_in(target, smtp, person_email.replace("console-person", "console-stranger"))
    assert refused.status_code == 403 and "Not an administrator" in refused.text
    assert stranger.http.get(target.issuer + "/admin", allow_redirects=False).status_code == 303

    assert "may no longer use the admin console" in target.cli("admin", "revoke", admin_email).stdout
    assert admin.http.get(target.issuer + "/admin", allow_redirects=False).status_code == 303, "the console signs out at once"
