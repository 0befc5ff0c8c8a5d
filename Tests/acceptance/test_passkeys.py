"""Passkeys over HTTP against the built binary, with an authenticator written on the `fido2` package: offered after an
emailed code, registered, then signing in alone (no mail) with `amr` hwk and `acr` phr; every broken assertion is refused
and changes nothing; a client that requires a passkey never gets an email sign-in."""
import time
from urllib.parse import urlsplit

import pytest

from attack import (REDIRECT, address, authorize_url, client_id, exchange, jwt_parts, pkce, query, target,  # noqa: F401
                    unb64)
from browser import Person, hidden
from passkey_authenticator import Authenticator


def mail_count(smtp, recipient):
    return sum(1 for rcpt, _, _ in smtp.messages if recipient in rcpt)


def id_token_claims(target, client_id, location, verifier):
    answer = exchange(target, client_id, query(location)["code"], verifier)
    assert answer.status_code == 200, answer.text
    return jwt_parts(answer.json()["id_token"])[1]


class PasskeyPerson(Person):
    """A person whose browser runs the login pages' script: it says it can make passkeys and speaks the JSON endpoints."""

    def post_json(self, path, body):
        return self.http.post(self.server.issuer + path, json=body, allow_redirects=False)

    def begin(self, client_id, **overrides):
        """Opens the login page of a new sign-in; returns the PKCE verifier."""
        verifier, challenge = pkce()
        page = self.open(authorize_url(self.server, client_id, challenge, **overrides))
        assert page.status_code == 200, page.text
        self.page = page
        self.tx, self.csrf = hidden(page.text, "tx"), hidden(page.text, "csrf")
        return verifier

    def code_sign_in_to_offer(self, client_id):
        """Signs in with an emailed code, from a browser able to make passkeys; returns (offer page, verifier)."""
        verifier = self.begin(client_id, prompt="login")
        mails = mail_count(self.inbox, self.email)
        self.submit_email(self.page)
        offer = self.http.post(self.server.issuer + "/login/code", allow_redirects=False, data={
            "tx": self.tx, "csrf": self.csrf, "code": self.inbox.code_for(self.email, mails + 1), "passkey_capable": "1"})
        return offer, verifier

    def options(self):
        answer = self.post_json("/login/passkey/options", {"tx": self.tx, "csrf": self.csrf})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def use(self, credential, tx=None):
        return self.post_json("/login/passkey", {"tx": tx or self.tx, "csrf": self.csrf, "credential": credential})


def enrolled(target, smtp, client_id, algorithm="ES256"):
    """A person signed in once with an emailed code who created a passkey on the offer; (person, authenticator)."""
    person = PasskeyPerson(target, smtp, address("passkey"))
    offer, verifier = person.code_sign_in_to_offer(client_id)
    assert offer.status_code == 200 and 'id="passkey-create"' in offer.text and 'id="passkey-skip"' in offer.text
    assert "Location" not in offer.headers
    assert "logintoo-session" in person.http.cookies, "the offer page sets the session cookie a sign-in sets"
    csrf, code = hidden(offer.text, "csrf"), hidden(offer.text, "code")
    options = person.post_json("/passkeys/registration/options", {"csrf": csrf})
    assert options.status_code == 200, options.text
    options = options.json()
    assert options["authenticatorSelection"]["residentKey"] == "required" and options["attestation"] == "none"
    assert [p["alg"] for p in options["pubKeyCredParams"]] == [-7, -8, -257]
    assert person.email not in unb64(options["user"]["id"]).decode(errors="replace"), "the user handle is not the email"
    rp_id = urlsplit(target.issuer).hostname
    authenticator = Authenticator(rp_id, target.issuer, algorithm)
    added = person.post_json("/passkeys/registration", {"csrf": csrf, "credential": authenticator.create(options)})
    assert added.status_code == 201, added.text
    smtp.wait_for(person.email, count=2)  # the code, then the "passkey added" notice
    onward = person.http.post(target.issuer + "/login/continue", data={"code": code, "csrf": csrf}, allow_redirects=False)
    assert onward.status_code == 303 and onward.headers["Location"].startswith(REDIRECT)
    claims = id_token_claims(target, client_id, onward.headers["Location"], verifier)
    assert claims["amr"] == ["otp"] and "acr" not in claims
    return person, authenticator


def passkey_browser(target, smtp, person):
    """Another browser of the same person, without cookies, at a new sign-in."""
    return PasskeyPerson(target, smtp, person.email)


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA", "RS256"])
def test_a_passkey_made_on_the_offer_signs_in_alone(target, smtp, client_id, algorithm):
    person, authenticator = enrolled(target, smtp, client_id, algorithm)
    mails = mail_count(smtp, person.email)
    later = passkey_browser(target, smtp, person)
    verifier = later.begin(client_id)
    assert 'id="passkey-sign-in"' in later.page.text
    answer = later.use(authenticator.get(later.options()))
    assert answer.status_code == 200, answer.text
    assert "logintoo-session" in later.http.cookies and "logintoo-known" in later.http.cookies
    claims = id_token_claims(target, client_id, answer.json()["redirect"], verifier)
    assert claims["amr"] == ["hwk", "user"] and claims["acr"] == "phr"
    time.sleep(0.5)
    assert mail_count(smtp, person.email) == mails, "a passkey sign-in sends no mail"


def test_a_passkey_without_user_verification_signs_in_without_user_in_amr(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    later = passkey_browser(target, smtp, person)
    verifier = later.begin(client_id)
    answer = later.use(authenticator.get(later.options(), user_verified=False))
    assert answer.status_code == 200, answer.text
    claims = id_token_claims(target, client_id, answer.json()["redirect"], verifier)
    assert claims["amr"] == ["hwk"] and claims["acr"] == "phr"


BROKEN = {
    "wrong origin": dict(origin="http://evil.example"),
    "wrong rp id hash": dict(rp_id="evil.example"),
    "tampered signature": dict(tamper_signature=True),
    "no user presence": dict(user_present=False),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_assertion_is_refused_and_changes_nothing(target, smtp, client_id, broken):
    person, authenticator = enrolled(target, smtp, client_id)
    later = passkey_browser(target, smtp, person)
    verifier = later.begin(client_id)
    refused = later.use(authenticator.get(later.options(), **BROKEN[broken]))
    assert refused.status_code == 400 and refused.json() == {"error": "refused"}
    assert "Set-Cookie" not in refused.headers and "logintoo-session" not in later.http.cookies
    answer = later.use(authenticator.get(later.options()))
    assert answer.status_code == 200, "the sign-in is still open after a refusal"
    assert id_token_claims(target, client_id, answer.json()["redirect"], verifier)["acr"] == "phr"


def test_an_unknown_credential_is_refused(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    later = passkey_browser(target, smtp, person)
    later.begin(client_id)
    stranger = Authenticator(authenticator.rp_id, target.issuer)
    stranger.user_handle = authenticator.user_handle
    refused = later.use(stranger.get(later.options()))
    assert refused.status_code == 400 and refused.json() == {"error": "refused"}
    assert later.use(authenticator.get(later.options())).status_code == 200


def test_a_challenge_is_used_once(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    later = passkey_browser(target, smtp, person)
    later.begin(client_id)
    first = authenticator.get(later.options())
    assert later.use(first).status_code == 200
    again = later.use(first)
    assert again.status_code == 400 and "Set-Cookie" not in again.headers
    later.begin(client_id, prompt="login")
    later.options()
    replayed = later.use(first)
    assert replayed.status_code == 400 and "Set-Cookie" not in replayed.headers


def test_another_browsers_challenge_is_refused(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    victim, attacker = passkey_browser(target, smtp, person), passkey_browser(target, smtp, person)
    victim.begin(client_id)
    attacker.begin(client_id)
    attacker.options()
    stolen = authenticator.get(victim.options())
    refused = attacker.use(stolen)
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    assert victim.use(stolen).status_code == 200, "the assertion still works in the browser it was made for"


def test_the_script_posts_need_the_login_forms_token(target, smtp, client_id):
    person = PasskeyPerson(target, smtp, address("forged"))
    person.begin(client_id)
    for body in ({"tx": person.tx, "csrf": person.csrf[:-4] + "AAAA"}, {"tx": person.tx}):
        answer = person.post_json("/login/passkey/options", body)
        assert answer.status_code == 400 and answer.json() == {"error": "expired"}
    cross_site = person.http.post(target.issuer + "/login/passkey/options", json={"tx": person.tx, "csrf": person.csrf},
                                  headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 400


def test_an_email_session_does_not_meet_acr_values_phr(target, smtp, client_id):
    person = PasskeyPerson(target, smtp, address("phr"))
    person.begin(client_id)
    person.submit_email(person.page)
    done = person.submit_code(smtp.code_for(person.email))
    assert done.status_code == 303
    mails = mail_count(smtp, person.email)
    person.begin(client_id, acr_values="phr", state="phr-state")
    assert 'action="/login/email"' not in person.page.text and 'id="passkey-sign-in"' in person.page.text
    forced = person.http.post(target.issuer + "/login/email", allow_redirects=False,
                              data={"tx": person.tx, "csrf": person.csrf, "email": person.email})
    assert forced.status_code == 400 and "Location" not in forced.headers
    back = person.http.post(target.issuer + "/login/abandon", data={"tx": person.tx, "csrf": person.csrf},
                            allow_redirects=False)
    assert back.status_code == 303
    answer = query(back.headers["Location"])
    assert back.headers["Location"].startswith(REDIRECT)
    assert answer["error"] == "unmet_authentication_requirements" and answer["state"] == "phr-state"
    assert answer["iss"] == target.issuer
    time.sleep(0.5)
    assert mail_count(smtp, person.email) == mails, "no code is sent when a passkey is required"


def test_a_passkey_session_meets_acr_values_phr_without_asking_again(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    later = passkey_browser(target, smtp, person)
    later.begin(client_id)
    assert later.use(authenticator.get(later.options())).status_code == 200
    verifier, challenge = pkce()
    again = later.http.get(authorize_url(target, client_id, challenge, acr_values="phr"), allow_redirects=False)
    assert again.status_code == 303 and again.headers["Location"].startswith(REDIRECT)
    assert id_token_claims(target, client_id, again.headers["Location"], verifier)["acr"] == "phr"


def test_not_now_is_remembered_and_plain_clients_see_no_offer(target, smtp, client_id):
    person = PasskeyPerson(target, smtp, address("declines"))
    offer, verifier = person.code_sign_in_to_offer(client_id)
    assert offer.status_code == 200
    onward = person.http.post(target.issuer + "/login/continue", allow_redirects=False, data={
        "code": hidden(offer.text, "code"), "csrf": hidden(offer.text, "csrf"), "choice": "decline"})
    assert onward.status_code == 303 and "logintoo-passkey-declined" in person.http.cookies
    assert exchange(target, client_id, query(onward.headers["Location"])["code"], verifier).status_code == 200
    again, _ = person.code_sign_in_to_offer(client_id)
    assert again.status_code == 303, "a browser that said not now is not asked again"
    plain = Person(target, smtp, address("plain"))
    assert plain.sign_in(authorize_url(target, client_id, pkce()[1])).startswith(REDIRECT), "no offer without passkey_capable"


def test_the_offers_code_works_once_and_only_with_the_session(target, smtp, client_id):
    person = PasskeyPerson(target, smtp, address("renew"))
    offer, verifier = person.code_sign_in_to_offer(client_id)
    form = {"code": hidden(offer.text, "code"), "csrf": hidden(offer.text, "csrf")}
    stranger = Person(target, smtp, address("stranger"))
    assert stranger.http.post(target.issuer + "/login/continue", data=form, allow_redirects=False).status_code == 400
    onward = person.http.post(target.issuer + "/login/continue", data=form, allow_redirects=False)
    assert onward.status_code == 303
    assert person.http.post(target.issuer + "/login/continue", data=form, allow_redirects=False).status_code == 400
    assert exchange(target, client_id, form["code"], verifier).status_code == 400, "the waiting code was replaced"
    assert exchange(target, client_id, query(onward.headers["Location"])["code"], verifier).status_code == 200


def test_the_account_page_renames_and_removes_a_passkey(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    page = person.http.get(target.issuer + "/account")
    assert page.status_code == 200 and person.email in page.text
    form = {"csrf": hidden(page.text, "csrf"), "id": hidden(page.text, "id")}
    renamed = person.http.post(target.issuer + "/account/passkeys/rename", data={**form, "name": "Laptop"}, allow_redirects=False)
    assert renamed.status_code == 303 and 'value="Laptop"' in person.http.get(target.issuer + "/account").text
    stranger = Person(target, smtp, address("stranger"))
    assert stranger.http.get(target.issuer + "/account").status_code == 403
    assert stranger.http.post(target.issuer + "/account/passkeys/remove", data=form, allow_redirects=False).status_code == 403
    removed = person.http.post(target.issuer + "/account/passkeys/remove", data=form, allow_redirects=False)
    assert removed.status_code == 303 and form["id"] not in person.http.get(target.issuer + "/account").text
    later = passkey_browser(target, smtp, person)
    later.begin(client_id, acr_values="phr")
    assert later.use(authenticator.get(later.options())).status_code == 400, "a removed passkey no longer signs in"
    back = later.http.post(target.issuer + "/login/abandon", data={"tx": later.tx, "csrf": later.csrf}, allow_redirects=False)
    assert query(back.headers["Location"])["error"] == "unmet_authentication_requirements"
