"""The "passkey added" email over real HTTP and SMTP: adding a passkey emails the account's address with a "this wasn't
me" link; a scanner's GET changes nothing; the person's POST removes that passkey (it no longer signs in) and ends every
session of the account (the old session cookie no longer reaches /account), and the link works once."""
import json
import re

import requests
from fido2 import cbor

from attack import b64, client_id, query, target, unb64  # noqa: F401
from conftest import codes_in
from test_passkeys import enrolled, passkey_browser

LINK = re.compile(r"https?://\S+/passkeys/not-me\?t=[A-Za-z0-9_-]+")


def notice_of(smtp, person):
    """The second email to the person: the first carried the code they signed in with, the second says a passkey was added."""
    message = smtp.wait_for(person.email, count=2)
    return message, message.get_body(preferencelist=("plain",)).get_content()


def test_the_passkey_added_email_removes_that_passkey_and_ends_the_accounts_sessions(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    message, text = notice_of(smtp, person)
    assert message["Subject"] == "A passkey was added to your account"
    assert "“Passkey”" in text and person.email in text
    link = LINK.search(text).group(0)
    assert link.startswith(target.issuer + "/passkeys/not-me?t=")
    assert len(unb64(query(link)["t"])) == 32, "the link's token is 32 random bytes"
    public_key = b64(cbor.encode(authenticator.cose_type.from_cryptography_key(authenticator.key.public_key())))
    html = message.get_body(preferencelist=("html",)).get_content()
    for secret in (public_key, b64(authenticator.credential_id), person.http.cookies.get("__Host-logintoo-session") or "none"):
        assert secret not in text and secret not in html
    assert codes_in(text) == [], "no code"

    scanner = requests.Session()
    for _ in range(2):
        assert scanner.get(link).status_code == 200
    assert scanner.head(link).status_code == 200
    assert person.http.get(target.issuer + "/account").status_code == 200, "a GET changes nothing"
    cross_site = scanner.post(target.issuer + "/passkeys/not-me", data={"t": query(link)["t"]},
                              headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 400
    assert b64(authenticator.credential_id) in person.http.get(target.issuer + "/account").text

    done = scanner.post(target.issuer + "/passkeys/not-me", data={"t": query(link)["t"]}, headers={"Sec-Fetch-Site": "same-origin"})
    assert done.status_code == 200 and "Passkey removed" in done.text
    assert person.http.get(target.issuer + "/account").status_code == 403, "the old session cookie no longer reaches /account"
    later = passkey_browser(target, smtp, person)
    later.begin(client_id, acr_values="phr")
    assert later.use(authenticator.get(later.options())).status_code == 400, "the passkey no longer signs in"
    again = scanner.post(target.issuer + "/passkeys/not-me", data={"t": query(link)["t"]}, headers={"Sec-Fetch-Site": "same-origin"})
    assert again.status_code == 400, "the link works once"
    assert scanner.get(link).status_code == 404

    events = json.loads(target.cli("audit", "--json", "--email", person.email).stdout)
    kinds = [event["kind"] for event in events]
    assert "passkey_removed" in kinds and "sessions_ended" in kinds
