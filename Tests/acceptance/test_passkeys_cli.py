"""`logintoo account passkeys`: the operator lists a person's passkeys and removes them (a lost device); a removed
passkey stops signing in at once, the removal is in the audit trail, and the emailed code still works."""
import json

from attack import b64, client_id, target  # noqa: F401
from test_passkeys import enrolled, passkey_browser


def test_the_cli_lists_an_accounts_passkeys_and_removes_them(target, smtp, client_id):
    person, authenticator = enrolled(target, smtp, client_id)
    listed = json.loads(target.cli("account", "passkeys", person.email, "--json").stdout)
    assert [row["credential_id"] for row in listed] == [b64(authenticator.credential_id)]
    assert "last_used" not in listed[0] and listed[0]["created"]

    for unknown_id in ["not-a-credential", "-a-credential-id-may-begin-with-a-dash"]:
        unknown = target.cli("account", "passkeys", person.email, "--remove", unknown_id, check=False)
        assert unknown.returncode == 1 and "no passkey" in unknown.stderr
    removed = target.cli("account", "passkeys", person.email, "--remove-all")
    assert "removed 1 passkey(s)" in removed.stdout
    assert json.loads(target.cli("account", "passkeys", person.email, "--json").stdout) == []

    later = passkey_browser(target, smtp, person)
    later.begin(client_id)
    refused = later.use(authenticator.get(later.options()))
    assert refused.status_code == 400 and "Set-Cookie" not in refused.headers
    events = json.loads(target.cli("audit", "--json", "--email", person.email).stdout)
    assert "passkey_removed" in [event["kind"] for event in events]


def test_the_cli_names_an_address_without_an_account(target):
    missing = target.cli("account", "passkeys", "nobody-here@example.com", check=False)
    assert missing.returncode == 1 and "no account" in missing.stderr
