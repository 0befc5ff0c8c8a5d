"""Security events as Standard Webhooks against the built binary: endpoints registered with `logintoo webhook add` get
the events they asked for, signed with their secret (verified by the `standardwebhooks` package), with no code, token or
link in them; a receiver that fails gets the same webhook-id again; one that is down for the whole test costs the
sign-ins nothing (docs/security.md N95)."""
import base64
import json
import secrets
import time
from urllib.parse import urlencode

import pytest
import requests

from conftest import free_port
from test_backchannel_logout import SIGNED_OUT, id_claims, sign_in, unique
from standardwebhooks.webhooks import WebhookVerificationError
from webhook_receiver import WebhookReceiver

import test_sign_in as flows


def add_endpoint(server, url, events):
    added = json.loads(server.cli("webhook", "add", "--url", url, "--events", events, "--json").stdout)
    assert added["id"].startswith("wh_") and added["secret"].startswith("whsec_")
    listed = json.loads(server.cli("webhook", "list", "--json").stdout)
    assert added["id"] in [row["id"] for row in listed] and all("secret" not in row for row in listed)
    audit = json.loads(server.cli("audit", "--kind", "webhook_added", "--json").stdout)
    assert any(row["subject"] == added["id"] and "by=cli" in row["detail"] for row in audit), "adding an endpoint is audited"
    assert added["secret"] not in json.dumps(audit)
    return added


def add_client(server):
    return json.loads(server.cli("client", "add", "--name", "Site", "--redirect-uri", flows.REDIRECT,
                                 "--post-logout-redirect-uri", SIGNED_OUT, "--json").stdout)["client_id"]


def webhooks_in(server):
    return [d for d in json.loads(server.cli("deliveries", "list", "--json").stdout) if d["kind"] == "webhook"]


def test_the_events_an_endpoint_asked_for_arrive_signed_and_without_secrets(server, smtp):
    receiver = WebhookReceiver()
    elsewhere = WebhookReceiver()
    try:
        endpoint = add_endpoint(server, receiver.url, "sign_in.succeeded,session.ended,account.disabled,account.enabled")
        receiver.secret = endpoint["secret"]
        elsewhere.secret = add_endpoint(server, elsewhere.url, "passkey.added")["secret"]
        client_id = add_client(server)
        email = unique("webhook")
        person, token = sign_in(server, smtp, client_id, email)
        subject = id_claims(token)["sub"]
        signed_in = receiver.next()
        assert receiver.verified(signed_in) == {
            "type": "sign_in.succeeded", "timestamp": signed_in.payload["timestamp"],
            "data": {"account_id": subject, "email": email, "client_id": client_id}}

        meta = flows.discover(server)
        logout = person.http.get(meta["end_session_endpoint"] + "?" + urlencode({
            "id_token_hint": token["id_token"], "post_logout_redirect_uri": SIGNED_OUT}), allow_redirects=False)
        assert logout.status_code == 303
        ended = receiver.next().payload
        assert ended["type"] == "session.ended" and ended["data"]["account_id"] == subject
        assert ended["data"]["reason"] == "logout" and ended["data"]["client_id"] == client_id

        server.cli("account", "disable", email)
        server.cli("account", "enable", email)
        # Due together, delivered side by side: their order of arrival is not the order of the events.
        kinds = sorted((receiver.next().payload for _ in range(2)), key=lambda k: k["type"])
        assert [(k["type"], k["data"]["account_id"], k["data"]["actor"]) for k in kinds] == [
            ("account.disabled", subject, "cli"), ("account.enabled", subject, "cli")]

        everything = b"".join(d.body for d in receiver.all)
        secrets_of_the_sign_in = [token["access_token"], token["refresh_token"], token["id_token"], endpoint["secret"]]
        secrets_of_the_sign_in.append(smtp.code_for(email))
        for secret in secrets_of_the_sign_in:
            assert secret.encode() not in everything
        assert b"http" not in b"".join(json.dumps(d.payload["data"]).encode() for d in receiver.all), "no links"
        assert len({d.id for d in receiver.all}) == len(receiver.all) == 4
        assert elsewhere.all == [], "an endpoint gets only the kinds it asked for"
        states = webhooks_in(server)
        assert [(d["state"], d["target"], d["attempts"]) for d in states] == [("delivered", receiver.url, 1)] * 4
    finally:
        receiver.close()
        elsewhere.close()


def test_a_receiver_that_fails_three_times_gets_the_same_webhook_id_each_time(server, smtp):
    receiver = WebhookReceiver(statuses=[500, 503, 500])
    try:
        receiver.secret = add_endpoint(server, receiver.url, "sign_in.succeeded")["secret"]
        sign_in(server, smtp, add_client(server), unique("retried"))
        # Retried 5, 10 and 20 seconds after each failure, with up to a tenth more as jitter.
        attempts = receiver.until(lambda got: len(got) >= 4, timeout=60)
        assert len({d.id for d in attempts}) == 1 and attempts[0].id.startswith("msg_")
        assert len({d.body for d in attempts}) == 1, "the same payload every time"
        for delivery in attempts:
            receiver.verified(delivery)
        timestamps = [int(d.headers["webhook-timestamp"]) for d in attempts]
        assert timestamps == sorted(timestamps) and timestamps[-1] - timestamps[0] >= 30, "each attempt is signed when made"
        gaps = [later.at - earlier.at for earlier, later in zip(attempts, attempts[1:])]
        assert [round(gap / 5) * 5 for gap in gaps] == [5, 10, 20], gaps
        assert [(d["state"], d["attempts"]) for d in webhooks_in(server)] == [("delivered", 4)]
    finally:
        receiver.close()


def test_a_receiver_down_for_the_whole_run_leaves_sign_ins_unaffected(server, smtp):
    down = f"http://127.0.0.1:{free_port()}/hooks"
    add_endpoint(server, down, "*")
    client_id = add_client(server)
    for n in range(3):
        _, token = sign_in(server, smtp, client_id, unique(f"unaffected-{n}"))
        assert token["access_token"] and token["refresh_token"]
    deadline = time.monotonic() + 15
    while not all(d.get("last_error") for d in webhooks_in(server)):
        assert time.monotonic() < deadline, "the worker tries each delivery at once"
        time.sleep(0.2)
    pending = webhooks_in(server)
    assert len(pending) == 3 and {d["state"] for d in pending} == {"pending"}, "failed, to be tried again"
    assert {d["target"] for d in pending} == {down}


def test_a_removed_endpoint_is_sent_nothing_more(server, smtp, tmp_path):
    receiver = WebhookReceiver(statuses=[500] * 10)
    try:
        receiver.secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        (tmp_path / "secret").write_text(receiver.secret + "\n")
        endpoint = json.loads(server.cli("webhook", "add", "--url", receiver.url, "--events", "sign_in.succeeded",
                                          "--secret-file", str(tmp_path / "secret"), "--json").stdout)
        assert endpoint["secret"] == receiver.secret, "signed with the secret the receiver already has"
        sign_in(server, smtp, add_client(server), unique("removed"))
        receiver.next()
        assert "removed" in server.cli("webhook", "remove", endpoint["id"]).stdout
        receiver.until(lambda got: webhooks_in(server)[0]["state"] == "abandoned", timeout=20)
        assert len(receiver.all) == 1
        assert "removed" in webhooks_in(server)[0]["last_error"]
        assert server.cli("webhook", "remove", endpoint["id"], check=False).returncode != 0
        audit = json.loads(server.cli("audit", "--kind", "webhook_removed", "--json").stdout)
        assert [row["subject"] for row in audit] == [endpoint["id"]]
    finally:
        receiver.close()


@pytest.mark.parametrize("arguments, complaint", [
    (["--url", "http://hooks.example/in", "--events", "*"], "must be https"),
    (["--url", "https://hooks.example/in", "--events", "sign_in.sucess"], "unknown event kind sign_in.sucess"),
    (["--url", "https://hooks.example/in"], "at least one event kind"),
    (["--url", "https://169.254.169.254/latest", "--events", "*"], "not link-local"),
    (["--url", "https://[::ffff:169.254.169.254]/latest", "--events", "*"], "not link-local"),
    (["--url", "https://hooks.example/in", "--events", "*", "--secret-file", "SECRET"], "whsec_ followed by the base64"),
    (["--url", "https://hooks.example/in", "--events", "*", "--secret-file", "/nonexistent/secret"],
     "--secret-file: cannot read /nonexistent/secret"),
])
def test_bad_endpoints_are_refused_with_a_reason(server, tmp_path, arguments, complaint):
    (tmp_path / "secret").write_text("whsec_abc\n")
    arguments = [str(tmp_path / "secret") if argument == "SECRET" else argument for argument in arguments]
    refused = server.cli("webhook", "add", *arguments, check=False)
    assert refused.returncode != 0 and complaint in refused.stderr
    assert json.loads(server.cli("webhook", "list", "--json").stdout) == []


def test_refresh_token_reuse_names_the_family_and_its_account(server, smtp):
    receiver = WebhookReceiver()
    try:
        receiver.secret = add_endpoint(server, receiver.url, "refresh_token.reused")["secret"]
        client_id = add_client(server)
        _, token = sign_in(server, smtp, client_id, unique("reused"))
        endpoint = flows.discover(server)["token_endpoint"]

        def refresh(refresh_token):
            return requests.post(endpoint, data={"grant_type": "refresh_token", "refresh_token": refresh_token,
                                                 "client_id": client_id})
        first = refresh(token["refresh_token"]).json()["refresh_token"]
        assert refresh(first).status_code == 200
        stolen = refresh(token["refresh_token"])
        assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
        reused = receiver.next().payload
        assert reused["type"] == "refresh_token.reused"
        assert reused["data"]["account_id"] == id_claims(token)["sub"] and reused["data"]["client_id"] == client_id
        assert reused["data"]["grant_id"]
        assert token["refresh_token"] not in json.dumps(reused) and first not in json.dumps(reused)
    finally:
        receiver.close()


def test_after_a_rotation_both_secrets_verify_until_the_overlap_ends(server, smtp):
    receiver = WebhookReceiver()
    try:
        endpoint = add_endpoint(server, receiver.url, "sign_in.succeeded")
        old = endpoint["secret"]
        rotated = json.loads(server.cli("webhook", "rotate-secret", endpoint["id"], "--overlap", "600", "--json").stdout)
        new = rotated["secret"]
        assert new.startswith("whsec_") and new != old
        client_id = add_client(server)
        sign_in(server, smtp, client_id, unique("rotated"))
        delivery = receiver.received.get(timeout=15)
        assert len(delivery.headers["webhook-signature"].split(" ")) == 2
        for secret in (old, new):
            receiver.secret = secret
            assert receiver.verified(delivery)["type"] == "sign_in.succeeded", "the receiver may hold either secret"

        # Each attempt reads the endpoint's secrets afresh: the next delivery is signed with the newest one alone.
        server.cli("webhook", "rotate-secret", endpoint["id"], "--overlap", "0")
        sign_in(server, smtp, client_id, unique("rotated-again"))
        latest = receiver.received.get(timeout=15)
        assert len(latest.headers["webhook-signature"].split(" ")) == 1
        for secret in (old, new):
            receiver.secret = secret
            with pytest.raises(WebhookVerificationError):
                receiver.verified(latest)
        audit = json.loads(server.cli("audit", "--kind", "webhook_secret_rotated", "--json").stdout)
        assert len(audit) == 2 and new not in json.dumps(audit)
    finally:
        receiver.close()
