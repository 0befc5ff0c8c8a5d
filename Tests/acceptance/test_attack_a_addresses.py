"""Addresses (docs/security.md: limits count mailboxes; addresses are checked): an attacker who writes one inbox in many
spellings gets no more codes than one spelling would, and an address with characters nobody can see, or a local part
relays cannot carry, is refused before anything is mailed. A domain typed in Unicode is used in its A-label form."""
import json
import secrets
import time
import uuid

import pytest
import requests

from attack import LENIENT, REDIRECT, authorize_url, exchange, jwt_parts, pkce, query
from browser import Person, hidden
from conftest import Server

QUOTA = 2  # --sends-per-address-per-hour for the spellings test: small, so that five spellings would exceed it


def mailbox_base():
    """A local part no other test uses, without dots so the Gmail spellings below are unambiguous."""
    return "bob" + secrets.token_hex(4)


def x_test_spellings(base):
    """One inbox at an ordinary domain: case and `+tag` do not make another mailbox."""
    return [f"{base.capitalize()}@x.test", f"{base}+1@x.test", f"{base.upper()}+z@x.test", f"{base}+2@X.Test",
            f"{base}@x.test"]


def gmail_spellings(base):
    """One Gmail inbox: dots in the local part are ignored there, and googlemail.com is gmail.com."""
    dotted = base[0] + "." + base[1:]
    return [f"{base}@gmail.com", f"{dotted}@gmail.com", f"{base}@googlemail.com", f"{dotted.upper()}+z@googlemail.com",
            f"{base[:2]}.{base[2:]}+x@Gmail.com"]


def open_email_form(server, client_id, email):
    person = Person(server, None, email)
    page = person.open(authorize_url(server, client_id, pkce()[1]))
    assert page.status_code == 200, page.text
    return person, hidden(page.text, "tx"), hidden(page.text, "csrf")


def post_email(server, client_id, email):
    """Submits `email` on a fresh sign-in's email form; the answer, not followed."""
    person, tx, csrf = open_email_form(server, client_id, email)
    return person.http.post(server.issuer + "/login/email", data={"tx": tx, "csrf": csrf, "email": email},
                            allow_redirects=False)


def delivered_to(smtp, recipients):
    wanted = {r.lower() for r in recipients}
    return [rcpt for rcpts, _, _ in list(smtp.messages) for rcpt in rcpts if rcpt.lower() in wanted]


def wait_for_deliveries(smtp, recipients, count, timeout=15):
    deadline = time.time() + timeout
    while len(delivered_to(smtp, recipients)) < count and time.time() < deadline:
        time.sleep(0.05)
    return delivered_to(smtp, recipients)


@pytest.mark.parametrize("spellings", [x_test_spellings, gmail_spellings], ids=["case-and-tags", "gmail-dots"])
def test_five_spellings_of_one_mailbox_get_no_more_codes_than_its_quota(binary, smtp, tmp_path, spellings):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}",
                    extra=["--send-interval", "0", "--sends-per-address-per-hour", str(QUOTA)]).start()
    try:
        client_id = server.add_client()["client_id"]
        addresses = spellings(mailbox_base())
        for number, typed in enumerate(addresses, start=1):
            answer = post_email(server, client_id, typed)
            assert answer.status_code == 303, "sent or throttled, the answer is the same"
            if number <= QUOTA:
                # Each code within the quota is delivered before the next is asked for, so none is replaced unsent.
                assert len(wait_for_deliveries(smtp, addresses, number)) == number
        audit = json.loads(server.cli("audit", "--json").stdout)
        mine = [event for event in audit if (event.get("email") or "").lower() in {a.lower() for a in addresses}]
        sent = [event for event in mine if event["kind"] == "code_sent"]
        throttled = [event for event in mine if event["kind"] == "code_send_throttled"]
        assert len(sent) == QUOTA and len(throttled) == len(addresses) - QUOTA, [e["kind"] for e in mine]
        # The mail goes to each address as it was typed (lower-cased), not to the mailbox key the limits use.
        assert delivered_to(smtp, addresses) == [a.lower() for a in addresses[:QUOTA]]
        # Nothing more arrives for the throttled spellings once the outbox has delivered a later, unrelated code.
        control = mailbox_base() + "@control.test"
        assert post_email(server, client_id, control).status_code == 303
        smtp.wait_for(control)
        assert len(delivered_to(smtp, addresses)) == QUOTA
    finally:
        assert server.stop() == 0


INVISIBLE = {
    "zero-width space": "\u200b", "zero-width joiner": "\u200d", "right-to-left override": "\u202e",
    "left-to-right mark": "\u200e", "right-to-left isolate": "\u2067", "soft hyphen": "\u00ad", "word joiner": "\u2060",
    "byte order mark": "\ufeff", "NUL": "\u0000", "Hangul filler": "\u3164",
}


@pytest.fixture(scope="module")
def lenient(binary, smtp, tmp_path_factory):
    """Throttles out of the way, so that every refusal here is the address check's."""
    server = Server(binary, tmp_path_factory.mktemp("addresses"), f"smtp://127.0.0.1:{smtp.port}", extra=LENIENT).start()
    server.client_id = server.add_client()["client_id"]
    yield server
    assert server.stop() == 0


def json_api_start(email):
    """A /auth body that is valid except, perhaps, for the address; its client need not exist, as the address is checked
    first."""
    return {"client_id": str(uuid.uuid4()), "code_challenge": pkce()[1], "code_challenge_method": "S256", "email": email,
            "redirect_uri": REDIRECT, "response_type": "code", "state": secrets.token_urlsafe(32)}


def assert_json_refusal(server, email, version):
    answer = requests.post(server.issuer + f"/{version}/auth", data=json.dumps(json_api_start(email)),
                           headers={"Content-Type": "application/json"}, timeout=15)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request" and "email" in body["error_description"]
    return body["error_description"]


@pytest.mark.parametrize("name", list(INVISIBLE))
def test_an_address_with_an_invisible_character_is_refused_and_nothing_is_mailed(lenient, smtp, name):
    base = mailbox_base()
    character = INVISIBLE[name]
    spoofs = [f"{base[:3]}{character}{base[3:]}@example.com", f"{base}@exam{character}ple.com", f"{character}{base}@example.com",
              f"{base}@example.com{character}"]
    for spoof in spoofs:
        answer = post_email(lenient, lenient.client_id, spoof)
        assert answer.status_code == 400, "refused on the form"
        assert "invisible or control character" in answer.text
        assert "Check your email" not in answer.text
        for version in ("2020-11", "2026-06"):
            assert "invisible" in assert_json_refusal(lenient, spoof, version)
    # A later, valid address is delivered; by then nothing was mailed to any look-alike of the first.
    control = base + "@example.com"
    assert post_email(lenient, lenient.client_id, control).status_code == 303
    smtp.wait_for(control)
    assert [rcpt for rcpts, _, _ in list(smtp.messages) for rcpt in rcpts if base in rcpt] == [control]


@pytest.mark.parametrize("typed", ["jos\u00e9@example.com", "b\u00f8b@example.com", "\u7528\u6237@example.com"])
def test_a_local_part_outside_ascii_is_refused_with_a_clear_message(lenient, typed):
    answer = post_email(lenient, lenient.client_id, typed)
    assert answer.status_code == 400
    assert "The part before the @ can only contain" in answer.text
    for version in ("2020-11", "2026-06"):
        assert "non-ASCII" in assert_json_refusal(lenient, typed, version)


def test_the_refusal_speaks_the_persons_language(lenient):
    person, tx, csrf = open_email_form(lenient, lenient.client_id, "x")
    answer = person.http.post(lenient.issuer + "/login/email", headers={"Accept-Language": "de"},
                              data={"tx": tx, "csrf": csrf, "email": "ana\u200b@example.com"}, allow_redirects=False)
    assert answer.status_code == 400
    assert "unsichtbares Zeichen" in answer.text


def test_a_unicode_domain_is_mailed_and_claimed_in_its_a_label_form(lenient, smtp):
    base = mailbox_base()
    typed, a_label = f"{base.capitalize()}@B\u00fccher.test", f"{base}@xn--bcher-kva.test"
    verifier, challenge = pkce()
    person = Person(lenient, smtp, typed)
    person.submit_email(person.open(authorize_url(lenient, lenient.client_id, challenge)))
    message = smtp.wait_for(a_label)
    rcpts = [rcpts for rcpts, m, _ in list(smtp.messages) if m is message][0]
    assert rcpts == [a_label] and a_label in message["To"]
    done = person.submit_code(smtp.code_for(a_label))
    assert done.status_code == 303, done.text
    tokens = exchange(lenient, lenient.client_id, query(done.headers["Location"])["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    _, claims, _ = jwt_parts(tokens.json()["id_token"])
    assert claims["email"] == a_label and claims["email_verified"] is True
    # The same domain typed as its A-label is the same account.
    again = Person(lenient, smtp, a_label)
    verifier2, challenge2 = pkce()
    again.submit_email(again.open(authorize_url(lenient, lenient.client_id, challenge2)))
    done2 = again.submit_code(smtp.code_for(a_label, 2))
    second = exchange(lenient, lenient.client_id, query(done2.headers["Location"])["code"], verifier2)
    assert jwt_parts(second.json()["id_token"])[1]["sub"] == claims["sub"]


def test_a_domain_with_a_symbol_is_refused(lenient):
    answer = post_email(lenient, lenient.client_id, "ana@\u2603.test")
    assert answer.status_code == 400
    assert "not a domain name that can receive email" in answer.text
    assert "domain" in assert_json_refusal(lenient, "ana@\u2603.test", "2026-06")
