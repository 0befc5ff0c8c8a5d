"""Targeted lock-out (docs/security.md: known and unknown browsers): an attacker who knows one person's address spends,
from other browsers, every send and every wrong code the limits allow; the browser the person signed in with before
keeps its own live code, its own send allowance and its own failure budget, and still signs in. Unknown browsers stay
throttled as before. Also "use another email": the second address's code signs in, and failures are charged to it."""
import json
import time

import pytest

from attack import address, authorize_url, pkce, verdict
from browser import Person, hidden
from conftest import Server, codes_in

SENDS_PER_HOUR = 5  # the shipped default per address; the interval is set to 0 so the attacker spends them at once
SHORT_BUDGET = 10  # the shipped default: wrong codes per account per 15 minutes
VICTIM_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(scope="module")
def lockout(binary, smtp, tmp_path_factory):
    """A server with the shipped limits, except that sends need not wait a minute apart."""
    server = Server(binary, tmp_path_factory.mktemp("lockout"), f"smtp://127.0.0.1:{smtp.port}",
                    extra=["--send-interval", "0"]).start()
    server.client_id = server.add_client()["client_id"]
    yield server
    assert server.stop() == 0


def url(server):
    return authorize_url(server, server.client_id, pkce()[1])


def victim_code(smtp, email, count, timeout=15):
    """The code in the `count`-th email to `email` that the victim's browser (Firefox on Linux) asked for."""
    deadline = time.time() + timeout
    while True:
        with smtp.lock:
            mine = [m for rcpt, m, _ in smtp.messages if email in rcpt
                    and "Firefox (Linux)" in m.get_body(preferencelist=("plain",)).get_content()]
        if len(mine) >= count:
            return codes_in(mine[count - 1].get_body(preferencelist=("plain",)).get_content(), exactly_one=True)[0]
        assert time.time() < deadline, f"no email number {count} for the victim's browser"
        time.sleep(0.05)


def audit_kinds(server, email):
    return [event["kind"] for event in json.loads(server.cli("audit", "--json", "--email", email).stdout)]


def known_victim(server, smtp):
    """A person who signed in once from this browser and signed out (only the long-lived cookie is left)."""
    victim = Person(server, smtp, address("victim"))
    victim.http.headers["User-Agent"] = VICTIM_AGENT
    page = victim.open(url(server))
    victim.submit_email(page)
    done = victim.submit_code(victim_code(smtp, victim.email, 1))
    assert done.status_code == 303, done.text
    known = [c for c in done.headers.get("Set-Cookie", "").split(", ") if c.startswith("logintoo-known=")]
    assert known, done.headers.get("Set-Cookie")
    assert "HttpOnly" in known[0] and "SameSite=Lax" in known[0] and "Max-Age=31536000" in known[0]
    victim.http.cookies.clear(domain=victim.http.cookies.list_domains()[0], path="/", name="logintoo-session")
    assert "logintoo-known" in victim.http.cookies and "logintoo-session" not in victim.http.cookies
    return victim


def attack(server, smtp, email, rounds=SENDS_PER_HOUR + 2):
    """From a new browser each time: ask for a code to `email`, then enter wrong codes until refused. The verdicts."""
    verdicts = []
    for _ in range(rounds):
        attacker = Person(server, smtp, email)
        attacker.submit_email(attacker.open(url(server)))
        for _ in range(5):
            outcome = verdict(attacker.submit_code("00000000"))
            verdicts.append(outcome)
            if outcome != "wrong":
                break
    return verdicts


def test_a_known_browser_keeps_its_live_code_through_an_attack_on_its_address(lockout, smtp):
    victim = known_victim(lockout, smtp)
    victim.submit_email(victim.open(url(lockout)))
    code = victim_code(smtp, victim.email, 2)
    verdicts = attack(lockout, smtp, victim.email)
    assert verdicts.count("wrong") == SHORT_BUDGET and "throttled" in verdicts, verdicts
    kinds = audit_kinds(lockout, victim.email)
    assert kinds.count("code_send_throttled") >= 1, "the attacker spent every send unknown browsers have"
    assert verdict(victim.submit_code("00000000" if code != "00000000" else "11111111")) == "wrong", \
        "the known browser's failures count against its own budget"
    assert verdict(victim.submit_code(code)) == "signed_in", "the attacker's sends did not void the known browser's code"


def test_a_known_browser_gets_a_code_and_signs_in_after_an_attack(lockout, smtp):
    victim = known_victim(lockout, smtp)
    verdicts = attack(lockout, smtp, victim.email)
    assert verdicts.count("wrong") == SHORT_BUDGET and verdicts[-1] in ("throttled", "dead"), verdicts
    victim.submit_email(victim.open(url(lockout)))
    assert verdict(victim.submit_code(victim_code(smtp, victim.email, 2))) == "signed_in"


def test_unknown_browsers_are_still_throttled_after_an_attack(lockout, smtp):
    victim = known_victim(lockout, smtp)
    attack(lockout, smtp, victim.email)
    before = audit_kinds(lockout, victim.email)
    stranger = Person(lockout, smtp, victim.email)
    page = stranger.submit_email(stranger.open(url(lockout)))
    assert page.status_code == 200 and 'name="code"' in page.text, "the throttled answer looks like a sent one"
    after = audit_kinds(lockout, victim.email)
    assert after.count("code_send_throttled") == before.count("code_send_throttled") + 1
    assert after.count("code_sent") == before.count("code_sent")
    assert before.count("code_sent") == SENDS_PER_HOUR, "unknown browsers share the address's quota of five an hour"


def test_use_another_email_signs_in_with_the_second_address_and_charges_it(lockout, smtp):
    right = address("right")
    typo = right.replace("right-", "rihgt-")
    person = Person(lockout, smtp, typo)
    person.submit_email(person.open(url(lockout)))
    smtp.wait_for(typo)
    restarted = person.http.post(lockout.issuer + "/login/restart", data={"tx": person.tx, "csrf": person.csrf},
                                 allow_redirects=False)
    assert restarted.status_code == 303
    form = person.http.get(lockout.issuer + restarted.headers["Location"])
    assert 'name="email"' in form.text
    person.email = right
    person.submit_email(form)
    code = smtp.code_for(right)
    wrong = person.submit_code("00000000" if code != "00000000" else "11111111")
    assert verdict(wrong) == "wrong" and "Attempts left: 4" in wrong.text
    assert audit_kinds(lockout, right).count("code_failed") == 1, "the failure is charged to the address the code went to"
    assert "code_failed" not in audit_kinds(lockout, typo)
    assert verdict(person.submit_code(code)) == "signed_in"
    assert hidden(form.text, "tx") == person.tx


def spend_the_shared_budget(server, smtp, victim):
    """Wrong codes from fresh (unknown) browsers until the shared budget throttles; the verdicts."""
    spent = []
    while "throttled" not in spent and len(spent) < 4 * SHORT_BUDGET:
        person = Person(server, smtp, victim)
        person.submit_email(person.open(url(server)))
        for _ in range(5):
            spent.append(verdict(person.submit_code("00000000")))
            if spent[-1] != "wrong":
                break
    return spent


def test_a_browser_known_to_an_alias_of_the_address_gets_no_lane_of_its_own(lockout, smtp):
    """The attacker signs in to their own account at a +tag of the victim's address (another inbox where the mail
    provider does not fold tags): their browser is known for that account, not for the victim's."""
    victim = address("aliased")
    local, domain = victim.split("@")
    attacker = Person(lockout, smtp, f"{local}+evil@{domain}")
    attacker.sign_in(url(lockout))
    assert any(cookie.name.endswith("logintoo-known") for cookie in attacker.http.cookies)
    attacker.http.cookies.clear(domain=attacker.http.cookies.list_domains()[0], path="/", name="logintoo-session")
    spent = spend_the_shared_budget(lockout, smtp, victim)
    assert spent[-1] == "throttled" and spent.count("wrong") <= SHORT_BUDGET, " ".join(spent)
    attacker.email = victim
    attacker.submit_email(attacker.open(url(lockout)))
    assert verdict(attacker.submit_code("00000000")) == "throttled", "no fresh budget for the alias's browser"


def test_signing_in_to_an_alias_does_not_forget_the_mailboxs_failures(lockout, smtp):
    """Between rounds of guesses, the attacker signs in to their own alias of the victim's mailbox: the failures the
    mailbox's unknown browsers share are not forgotten, so the budget still runs out at its bound."""
    victim = address("alias-reset")
    local, domain = victim.split("@")
    guesses = []
    for round in range(2):
        person = Person(lockout, smtp, victim)
        person.submit_email(person.open(url(lockout)))
        for _ in range(SHORT_BUDGET // 2):
            guesses.append(verdict(person.submit_code("00000000")))
        if round == 0:
            Person(lockout, smtp, f"{local}+evil@{domain}").sign_in(url(lockout))
    person = Person(lockout, smtp, victim)
    person.submit_email(person.open(url(lockout)))
    guesses.append(verdict(person.submit_code("00000000")))
    assert guesses[-1] == "throttled" and guesses.count("wrong") <= SHORT_BUDGET, " ".join(guesses)
