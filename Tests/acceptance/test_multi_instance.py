"""Three Logintoo instances on one PostgreSQL database: every guarantee holds when the steps of a sign-in land on
different instances at the same moment."""
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
import requests

from conftest import codes_in, Server, free_port, keep_rotating
from dpop_proof import new_key, proof
from webhook_receiver import WebhookReceiver

POSTGRES = os.environ.get("LOGINTOO_TEST_POSTGRES_URL")
# One worker runs this file's tests one after another: one of them stops and starts the PostgreSQL server they share.
pytestmark = [pytest.mark.skipif(not POSTGRES, reason="LOGINTOO_TEST_POSTGRES_URL is not set"),
              pytest.mark.xdist_group("postgres")]
REDIRECT = "https://site.example/callback"
RUN = uuid.uuid4().hex[:8]


def address(name):
    """An address no other test of the session uses, so the shared inbox cannot hand back another test's code."""
    return f"{name}-{RUN}@example.com"


def fresh_database():
    """A new, empty database on the test server; its URL."""
    name = "multi_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", POSTGRES.split("?")[0], "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    parts = urlsplit(POSTGRES)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def start_cluster(binary, smtp, tmp_path, refresh_grace="0"):
    """Three instances sharing one database, one key-encryption key and one issuer; all start at once."""
    shared = ["--database-url", fresh_database(), "--key-encryption-key", base64.b64encode(secrets.token_bytes(32)).decode(),
              "--send-interval", "0", "--sends-per-address-per-hour", "1000", "--sends-per-ip-per-hour", "100000",
              "--refresh-grace", refresh_grace]
    issuer = f"http://127.0.0.1:{free_port()}"
    instances = [Server(binary, tmp_path / f"instance-{n}", f"smtp://127.0.0.1:{smtp.port}", issuer=issuer, shared=shared)
                 for n in range(3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda instance: instance.start(), instances))
    added = instances[0].cli("client", "add", "--name", "Site", "--redirect-uri", REDIRECT, "--json")
    listed = instances[0].cli("client", "list")
    for command in (added, listed):
        assert "hasn't been called" not in command.stderr, "a command's pool runs before its first query"
    client = json.loads(added.stdout)
    return instances, client["client_id"]


@pytest.fixture
def cluster(binary, smtp, tmp_path):
    instances, client_id = start_cluster(binary, smtp, tmp_path)
    yield instances, client_id
    for instance in instances:
        assert instance.stop() == 0
    assert deadlocks_in(instances[0]) == 0, "transactions that lock the same rows must lock them in one order"


def pkce():
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def post(instance, method, path, body):
    return requests.request(method, instance.url + path, json=body, allow_redirects=False, timeout=30)


def code_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return codes_in(text)[0]


def start(instance, client_id, address, challenge):
    answer = post(instance, "POST", "/2026-06/auth", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": address,
        "redirect_uri": REDIRECT, "response_type": "code", "state": secrets.token_urlsafe(32)})
    assert answer.status_code == 200


def sign_in_across(instances, client_id, smtp, recipient):
    """Signs in with /auth, /otp and /token each on another instance; the code exchange and the refresh token."""
    verifier, challenge = pkce()
    start(instances[0], client_id, recipient, challenge)
    otp = code_in(smtp.wait_for(recipient))
    done = post(instances[1], "POST", "/2026-06/otp", {"client_id": client_id, "code_challenge": challenge,
                                                       "email": recipient, "otp": otp})
    code = parse_qs(urlsplit(done.headers["Location"]).query)["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": client_id,
                "code_verifier": verifier}
    return exchange, post(instances[2], "POST", "/2026-06/token", exchange).json()["refresh_token"]


def refresh_token_across(instances, client_id, smtp, recipient):
    return sign_in_across(instances, client_id, smtp, recipient)[1]


def test_one_sign_in_across_three_instances(cluster, smtp):
    (a, b, c), client_id = cluster
    verifier, challenge = pkce()
    start(a, client_id, address("across"), challenge)
    otp = code_in(smtp.wait_for(address("across")))
    done = post(b, "POST", "/2026-06/otp", {"client_id": client_id, "code_challenge": challenge,
                                            "email": address("across"), "otp": otp})
    assert done.status_code == 302
    code = parse_qs(urlsplit(done.headers["Location"]).query)["code"][0]
    token = post(c, "POST", "/2026-06/token", {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                               "client_id": client_id, "code_verifier": verifier})
    assert token.status_code == 200, token.text
    body = token.json()
    for instance in (a, b, c):
        info = requests.get(instance.url + "/userinfo", headers={"Authorization": "Bearer " + body["access_token"]})
        assert info.status_code == 200 and info.json()["sub"]
    assert requests.get(a.url + "/.well-known/jwks.json").json() == requests.get(c.url + "/.well-known/jwks.json").json()
    rotated = post(a, "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
    assert rotated.status_code == 200
    assert post(b, "DELETE", "/2026-06/token", {"refresh_token": rotated.json()["refresh_token"]}).status_code == 200
    assert post(c, "PATCH", "/2026-06/token", {"grant_type": "refresh_token",
                                               "refresh_token": rotated.json()["refresh_token"]}).status_code == 401


def test_a_dpop_proof_used_on_one_instance_is_refused_on_another(cluster, smtp):
    """Nonces come from the shared server secret and used proofs are kept in the database (docs/security.md F43)."""
    (a, b, c), client_id = cluster
    refresh = refresh_token_across((a, b, c), client_id, smtp, address("dpop-replay"))
    key, token_url = new_key(), a.issuer + "/token"
    used = proof(key, "POST", token_url, nonce=requests.post(a.url + "/token", timeout=30).headers["DPoP-Nonce"])
    first = requests.post(b.url + "/token", headers={"DPoP": used}, timeout=30,
                          data={"grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id})
    assert first.status_code == 200 and first.json()["token_type"] == "DPoP", first.text
    successor = {"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"], "client_id": client_id}
    replayed = requests.post(c.url + "/token", headers={"DPoP": used}, data=successor, timeout=30)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_dpop_proof", replayed.text
    fresh = proof(key, "POST", token_url, nonce=replayed.headers["DPoP-Nonce"])
    assert requests.post(c.url + "/token", headers={"DPoP": fresh}, data=successor, timeout=30).status_code == 200

def test_the_same_code_on_three_instances_at_once(cluster, smtp):
    instances, client_id = cluster
    _, challenge = pkce()
    start(instances[0], client_id, address("race"), challenge)
    otp = code_in(smtp.wait_for(address("race")))
    body = {"client_id": client_id, "code_challenge": challenge, "email": address("race"), "otp": otp}
    with ThreadPoolExecutor(9) as pool:
        statuses = list(pool.map(lambda n: post(instances[n % 3], "POST", "/2026-06/otp", body).status_code, range(9)))
    assert statuses.count(302) == 1 and statuses.count(403) == 8, statuses
    # Counting an entry and completing the sign-in lock the code and the failure budgets in one order: a deadlock
    # between them costs a second before PostgreSQL breaks it, and under load the racers ran out of time (503).
    assert deadlocks_in(instances[0]) == 0


def deadlocks_in(instance):
    """The deadlocks PostgreSQL broke in the cluster's database since it was made."""
    url = instance.shared[instance.shared.index("--database-url") + 1]
    name = urlsplit(url).path.lstrip("/")
    query = f"SELECT pg_stat_force_next_flush(); SELECT deadlocks FROM pg_stat_database WHERE datname = '{name}'"
    answer = subprocess.run(["psql", url.split("?")[0], "-Atc", query], check=True, capture_output=True, text=True)
    return int(answer.stdout.split()[-1])


def test_the_same_refresh_token_on_three_instances_at_once(cluster, smtp):
    instances, client_id = cluster
    refresh = refresh_token_across(instances, client_id, smtp, address("rotate"))
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda n: post(instances[n % 3], "PATCH", "/2026-06/token",
                                               {"grant_type": "refresh_token", "refresh_token": refresh}), range(6)))
    winners = [a for a in answers if a.status_code == 200]
    assert len(winners) == 1, [a.status_code for a in answers]
    losers = [a.status_code for a in answers if a.status_code != 200]
    assert 403 in losers and set(losers) <= {401, 403}, "the first loser is reuse and revokes the family; later ones find it revoked"
    successor = winners[0].json()["refresh_token"]
    assert post(instances[0], "PATCH", "/2026-06/token", {"grant_type": "refresh_token",
                                                          "refresh_token": successor}).status_code == 401


def test_failures_on_every_instance_share_one_budget(cluster, smtp):
    instances, client_id = cluster
    guesser = address("guess")
    tries = 0
    for round_number in range(2):
        _, challenge = pkce()
        start(instances[round_number], client_id, guesser, challenge)
        otp = code_in(smtp.wait_for(guesser, round_number + 1))
        wrong = "0" * len(otp) if otp != "0" * len(otp) else "1" * len(otp)
        for n in range(5):
            answer = post(instances[n % 3], "POST", "/2026-06/otp",
                          {"client_id": client_id, "code_challenge": challenge, "email": guesser, "otp": wrong})
            assert answer.status_code == 401
            tries += 1
    assert tries == 10
    _, challenge = pkce()
    start(instances[2], client_id, guesser, challenge)
    otp = code_in(smtp.wait_for(guesser, 3))
    refused = post(instances[1], "POST", "/2026-06/otp",
                   {"client_id": client_id, "code_challenge": challenge, "email": guesser, "otp": otp})
    assert refused.status_code == 403, "ten failures in 15 minutes, on any instances, throttle the account"


def test_three_outbox_workers_deliver_each_email_once(cluster, smtp):
    instances, client_id = cluster
    addresses = [address(f"once-{n}") for n in range(24)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda n: start(instances[n % 3], client_id, addresses[n], pkce()[1]), range(len(addresses))))
    for recipient in addresses:
        smtp.wait_for(recipient)
    time.sleep(3)
    for recipient in addresses:
        assert len([m for rcpt, m, _ in smtp.messages if recipient in rcpt]) == 1, recipient


def test_three_instances_deliver_each_webhook_once(cluster, smtp):
    instances, client_id = cluster
    receiver = WebhookReceiver()
    try:
        added = instances[0].cli("webhook", "add", "--url", receiver.url, "--events", "sign_in.succeeded", "--json")
        receiver.secret = json.loads(added.stdout)["secret"]
        # Every instance reads the endpoints again within 5 seconds of a change; these saw none before it.
        addresses = [address(f"hooked-{n}") for n in range(12)]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda n: sign_in_across(instances[n % 3:] + instances[:n % 3], client_id, smtp, addresses[n]),
                          range(len(addresses))))
        receiver.until(lambda got: len(got) >= len(addresses), timeout=30)
        time.sleep(3)
        assert sorted(receiver.verified(d)["data"]["email"] for d in receiver.all) == sorted(addresses)
        assert len({d.id for d in receiver.all}) == len(receiver.all) == len(addresses), "each event once"
    finally:
        receiver.close()


POSTGRES_CTL = os.environ.get("LOGINTOO_TEST_POSTGRES_CTL")
POSTGRES_OPTIONS = os.environ.get("LOGINTOO_TEST_POSTGRES_OPTIONS", "")


def postgres(action):
    command = POSTGRES_CTL.split() + (["-m", "fast", "stop"] if action == "stop" else ["-o", POSTGRES_OPTIONS, "start"])
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(not POSTGRES_CTL, reason="LOGINTOO_TEST_POSTGRES_CTL is not set (scripts/postgres-up sets it)")
def test_a_database_restart_answers_503_and_recovers(cluster, smtp):
    instances, client_id = cluster
    refresh = refresh_token_across(instances, client_id, smtp, address("outage"))

    postgres("stop")
    try:
        for instance in instances:
            began = time.time()
            oauth = requests.post(instance.url + "/token", timeout=30, data={
                "grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id})
            assert oauth.status_code == 503 and oauth.json()["error"] == "temporarily_unavailable", oauth.text
            api = post(instance, "POST", "/2026-06/auth", {
                "client_id": client_id, "code_challenge": pkce()[1], "code_challenge_method": "S256",
                "email": address("during"), "redirect_uri": REDIRECT, "response_type": "code",
                "state": secrets.token_urlsafe(32)})
            assert api.status_code == 503 and api.json()["error"] == "temporarily_unavailable"
            assert requests.get(instance.url + "/readyz", timeout=30).status_code == 503
            assert requests.get(instance.url + "/healthz", timeout=5).status_code == 200
            assert requests.get(instance.url + "/.well-known/jwks.json", timeout=5).status_code == 200
            assert time.time() - began < 30, "no request hangs"
    finally:
        postgres("start")

    deadline = time.time() + 30
    while time.time() < deadline and not all(requests.get(i.url + "/readyz").ok for i in instances):
        time.sleep(0.5)
    assert all(requests.get(i.url + "/readyz").ok for i in instances), "the instances recover by themselves"
    rotated = post(instances[0], "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": refresh})
    assert rotated.status_code == 200, "the refresh token refused during the outage still works: nothing changed"


def test_sigkill_of_one_instance_under_load_loses_no_token_and_no_code_works_twice(binary, smtp, tmp_path):
    """Each client keeps to one instance, as behind a sticky load balancer; one instance is killed mid-request. The
    clients on it retry their newest refresh token on another instance, within the default retry grace."""
    instances, client_id = start_cluster(binary, smtp, tmp_path, refresh_grace="10")
    try:
        families = []
        for n in range(6):
            exchange, refresh = sign_in_across(instances, client_id, smtp, address(f"kill-{n}"))
            families.append({"home": instances[n % 3], "exchange": exchange, "latest": refresh, "rotations": 0})
        stop = threading.Event()
        threads = [threading.Thread(target=keep_rotating, args=(family, stop)) for family in families]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        instances[0].process.send_signal(signal.SIGKILL)
        instances[0].process.wait(timeout=10)
        time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        survivors = instances[1:]
        assert all(family["rotations"] > 0 and "error" not in family for family in families)
        assert [family.get("cut_off", False) for family in families] == [True, False, False, True, False, False]
        for n, family in enumerate(families):
            kept = post(survivors[n % 2], "PATCH", "/2026-06/token", {"grant_type": "refresh_token",
                                                                       "refresh_token": family["latest"]})
            assert kept.status_code == 200, "the newest refresh token a client received works on another instance"
            replay = post(survivors[(n + 1) % 2], "POST", "/2026-06/token", family["exchange"])
            assert replay.status_code == 403, "an authorization code stays used"
    finally:
        for instance in instances:
            instance.stop()
