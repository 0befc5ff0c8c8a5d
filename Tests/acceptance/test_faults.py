"""Faults: the mail server down for a minute, and the server killed with SIGKILL under load."""
import base64
import hashlib
import json
import re
import secrets
import signal
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import requests
from aiosmtpd.controller import Controller

from conftest import codes_in, Inbox, Server, free_port, keep_rotating

REDIRECT = "https://site.example/callback"


def pkce():
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def code_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return codes_in(text)[0]


def api(server, method, path, body):
    return requests.request(method, server.issuer + path, json=body, allow_redirects=False, timeout=30)


def start_sign_in(server, client_id, address):
    verifier, challenge = pkce()
    answer = api(server, "POST", "/2026-06/auth", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": address,
        "redirect_uri": REDIRECT, "response_type": "code", "state": secrets.token_urlsafe(32)})
    assert answer.status_code == 200
    return verifier, challenge


def finish_sign_in(server, client_id, address, verifier, challenge, otp):
    done = api(server, "POST", "/2026-06/otp", {"client_id": client_id, "code_challenge": challenge, "email": address,
                                               "otp": otp})
    assert done.status_code == 302, done.text
    code = parse_qs(urlsplit(done.headers["Location"]).query)["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": client_id,
                "code_verifier": verifier}
    token = api(server, "POST", "/2026-06/token", exchange)
    assert token.status_code == 200, token.text
    return exchange, token.json()["refresh_token"]


def test_codes_wait_out_a_mail_server_outage_and_arrive_once(binary, tmp_path):
    port = free_port()
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{port}").start()
    controller = None
    try:
        client_id = json.loads(server.cli("client", "add", "--name", "Site", "--redirect-uri", REDIRECT, "--json").stdout)["client_id"]
        verifier, challenge = start_sign_in(server, client_id, "patient@example.com")
        time.sleep(60)
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        message = inbox.wait_for("patient@example.com", timeout=120)
        time.sleep(2)
        assert len(inbox.messages) == 1, "delivered once, however many attempts failed"
        finish_sign_in(server, client_id, "patient@example.com", verifier, challenge, code_in(message))
    finally:
        if controller:
            controller.stop()
        assert server.stop() == 0


def test_sigkill_under_load_loses_no_issued_token_and_no_code_works_twice(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--send-interval", "0"]).start()
    client_id = json.loads(server.cli("client", "add", "--name", "Site", "--redirect-uri", REDIRECT, "--json").stdout)["client_id"]
    run = uuid.uuid4().hex[:8]
    families = []
    for n in range(4):
        address = f"load-{n}-{run}@example.com"
        verifier, challenge = start_sign_in(server, client_id, address)
        exchange, refresh = finish_sign_in(server, client_id, address, verifier, challenge, code_in(smtp.wait_for(address)))
        families.append({"home": server, "exchange": exchange, "latest": refresh, "rotations": 0})

    stop = threading.Event()
    threads = [threading.Thread(target=keep_rotating, args=(family, stop)) for family in families]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    server.start()
    try:
        assert all(family["rotations"] > 0 and "error" not in family for family in families)
        for family in families:
            kept = api(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": family["latest"]})
            assert kept.status_code == 200, "the last refresh token a client received still works after the crash"
            replay = api(server, "POST", "/2026-06/token", family["exchange"])
            assert replay.status_code == 403, "an authorization code stays used across a crash"
    finally:
        assert server.stop() == 0
