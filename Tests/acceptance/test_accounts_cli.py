"""`logintoo account list|show|disable|enable|erase` and `logintoo session revoke` against a running server's data: the
operator finds a person, ends their sessions, disables them (their refresh fails at once), enables and erases them."""
import json
import subprocess

import requests

from attack import address, begin, client_id, exchange, query, sign_in, target  # noqa: F401


def refresh(target, client_id, token):
    return requests.post(target.issuer + "/token", data={"grant_type": "refresh_token", "refresh_token": token,
                                                         "client_id": client_id}, timeout=10)


def test_the_cli_finds_shows_disables_enables_and_erases_an_account(target, smtp, client_id):
    email = address("cli-account")
    code, verifier, _ = sign_in(target, smtp, client_id, email=email)
    tokens = exchange(target, client_id, code, verifier).json()

    listed = json.loads(target.cli("account", "list", "--prefix", email[:14].upper(), "--json").stdout)
    assert [row["email"] for row in listed] == [email] and listed[0]["disabled"] is False
    shown = json.loads(target.cli("account", "show", email, "--json").stdout)
    assert len(shown["sessions"]) == 1 and shown["grants"][0]["client_id"] == client_id
    assert json.loads(target.cli("account", "show", listed[0]["id"], "--json").stdout)["account"]["email"] == email
    dashed = subprocess.run([target.binary, "account", "show", *target.settings(), "--", "-an-id-that-begins-with-a-dash"],
                            capture_output=True, text=True, timeout=60)
    assert dashed.returncode == 1 and "no account" in dashed.stderr, "after --, an id may begin with '-'"

    disabled = target.cli("account", "disable", email)
    assert "1 session(s) ended, 1 grant(s) revoked" in disabled.stdout
    assert refresh(target, client_id, tokens["refresh_token"]).json()["error"] == "invalid_grant", "refresh fails at once"
    assert json.loads(target.cli("account", "show", email, "--json").stdout)["account"]["disabled"] is True
    assert "enabled" in target.cli("account", "enable", email).stdout

    kinds = [event["kind"] for event in json.loads(target.cli("audit", "--json", "--email", email).stdout)]
    assert {"account_disabled", "account_enabled"} <= set(kinds)

    unconfirmed = target.cli("account", "erase", email, check=False)
    assert unconfirmed.returncode != 0 and "--yes" in unconfirmed.stderr
    erased = target.cli("account", "erase", email, "--yes")
    assert "erased:" in erased.stdout
    gone = target.cli("account", "show", email, check=False)
    assert gone.returncode == 1 and "no account" in gone.stderr
    assert json.loads(target.cli("audit", "--json", "--email", email).stdout) == [], "the address is gone from the trail"


def test_session_revoke_ends_one_session_or_all(target, smtp, client_id):
    email = address("cli-sessions")
    first = exchange(target, client_id, *sign_in(target, smtp, client_id, email=email)[:2]).json()
    person, verifier = begin(target, smtp, client_id, email)
    done = person.submit_code(smtp.code_for(email, 2))
    second = exchange(target, client_id, query(done.headers["Location"])["code"], verifier).json()
    sessions = json.loads(target.cli("account", "show", email, "--json").stdout)["sessions"]
    assert len(sessions) == 2
    neither = target.cli("session", "revoke", email, check=False)
    assert neither.returncode != 0 and "--all" in neither.stderr
    one = target.cli("session", "revoke", email, "--session", sessions[0]["id"])
    assert "ended 1 session(s)" in one.stdout
    assert len(json.loads(target.cli("account", "show", email, "--json").stdout)["sessions"]) == 1
    assert "ended 1 session(s)" in target.cli("session", "revoke", email, "--all").stdout
    assert refresh(target, client_id, first["refresh_token"]).status_code == 400
    assert refresh(target, client_id, second["refresh_token"]).status_code == 400
    # Ids are base64url: one in 64 begins with "-", which must not read as an option.
    for ended in [sessions[0]["id"], "-" + sessions[0]["id"][1:]]:
        missing = target.cli("session", "revoke", email, "--session", ended, check=False)
        assert missing.returncode == 1 and "no live session" in missing.stderr
