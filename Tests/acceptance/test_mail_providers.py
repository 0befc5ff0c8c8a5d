"""Mail providers against real peers: Amazon SES's v2 API (moto's server), an HTTPS-style webhook, and failover from an
SMTP server stopped mid-run to the fallback; `logintoo mail status` shows where each email went, never its content."""
import base64
import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from attack import REDIRECT, authorize_url, pkce
from browser import Person
from conftest import Inbox, Server, codes_in, free_port

SECRET = "webhook-secret-for-tests"


class WebhookSink:
    """Receives webhook deliveries and checks their Standard Webhooks signatures with the reference library, under the
    plain secret's bytes (a receiver's key is then `whsec_` and their base64)."""

    def __init__(self):
        self.payloads = []
        sink = self
        verifier = Webhook("whsec_" + base64.b64encode(SECRET.encode()).decode())

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    payload = verifier.verify(body, headers)
                except WebhookVerificationError:
                    self.send_response(401)
                    self.end_headers()
                    return
                assert headers["webhook-id"] == headers["idempotency-key"] == payload["id"]
                sink.payloads.append(payload)
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mail"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def code_for(self, recipient, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            mine = [p for p in self.payloads if p["to"] == recipient]
            if mine:
                return codes_in(mine[-1]["text"], exactly_one=True)[0]
            time.sleep(0.1)
        raise AssertionError(f"no webhook delivery to {recipient}")


@pytest.fixture
def webhook():
    sink = WebhookSink()
    yield sink
    sink.server.shutdown()


def ask_for_code(server, client_id, recipient):
    person = Person(server, None, recipient)
    person.submit_email(person.open(authorize_url(server, client_id, pkce()[1])))
    return person


def signs_in(person, code):
    return person.submit_code(code).status_code == 303


def test_a_webhook_provider_receives_signed_messages(binary, tmp_path, webhook):
    server = Server(binary, tmp_path, "", extra=["--mail-url", webhook.url, "--mail-webhook-secret", SECRET]).start()
    try:
        client_id = server.add_client(redirect_uris=[REDIRECT])["client_id"]
        person = ask_for_code(server, client_id, "hook@example.com")
        assert signs_in(person, webhook.code_for("hook@example.com"))
        payload = webhook.payloads[-1]
        assert payload["html"] and "hook@example.com" in payload["text"] and payload["subject"]
    finally:
        assert server.stop() == 0


def test_failover_from_a_stopped_smtp_server_to_the_fallback(binary, tmp_path, webhook):
    inbox = Inbox()
    primary = Controller(inbox, hostname="127.0.0.1", port=free_port())
    primary.start()
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{primary.port}",
                    extra=["--mail-fallback-url", webhook.url, "--mail-webhook-secret", SECRET, "--mail-url",
                           f"smtp://127.0.0.1:{primary.port}"]).start()
    try:
        client_id = server.add_client(redirect_uris=[REDIRECT])["client_id"]
        first = ask_for_code(server, client_id, "before@example.com")
        first.inbox = inbox
        assert signs_in(first, inbox.code_for("before@example.com"))
        primary.stop()
        second = ask_for_code(server, client_id, "after@example.com")
        assert signs_in(second, webhook.code_for("after@example.com"))
        status = json.loads(server.cli("mail", "status", "--json").stdout)
        by_recipient = {row["recipient"]: row for row in status}
        assert by_recipient["before@example.com"]["state"] == "sent"
        assert by_recipient["before@example.com"]["provider"].startswith("smtp:")
        assert by_recipient["after@example.com"]["state"] == "sent"
        assert by_recipient["after@example.com"]["provider"].startswith("webhook:")
        listing = server.cli("mail", "status").stdout
        for code in codes_in(json.dumps(webhook.payloads)):
            assert code not in listing and code not in json.dumps(status)
    finally:
        assert server.stop() == 0


MOTO = shutil.which("moto_server")


@pytest.fixture
def moto():
    if MOTO is None and not os.environ.get("CI"):
        pytest.skip("moto is not installed")
    port = free_port()
    process = subprocess.Popen([MOTO or "moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            requests.get(url + "/moto-api/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


def ses_code(moto, recipient, timeout=20):
    """The sign-in code in the message SES (moto) accepted for `recipient`."""
    deadline, raw = time.time() + timeout, None
    while time.time() < deadline and raw is None:
        sent = requests.get(moto + "/moto-api/data.json").json().get("ses", {}).get("RawMessage", [])
        raw = next((m for m in sent if recipient in json.dumps(m)), None)
        if raw is None:
            time.sleep(0.2)
    assert raw is not None, "SES accepted the message"
    message = email.message_from_string(raw["raw_data"], policy=email.policy.default)
    return codes_in(message.get_body(preferencelist=("plain",)).get_content(), exactly_one=True)[0]


def without_aws_settings():
    """This process's environment without any AWS_* variable, so a test chooses the credentials' source alone."""
    return {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}


def create_sender_identity(moto):
    import boto3

    ses = boto3.client("sesv2", endpoint_url=moto, region_name="us-east-1", aws_access_key_id="AKIDTESTING",
                       aws_secret_access_key="testing-secret")
    ses.create_email_identity(EmailIdentity="login@example.test")


def test_amazon_ses_v2_signed_with_sigv4(binary, tmp_path, moto):
    create_sender_identity(moto)
    credentials = {"AWS_ACCESS_KEY_ID": "AKIDTESTING", "AWS_SECRET_ACCESS_KEY": "testing-secret", "AWS_DEFAULT_REGION": "us-east-1"}
    server = Server(binary, tmp_path, "", extra=["--mail-url", f"ses://us-east-1?endpoint={moto}"])
    server.environment = dict(without_aws_settings(), **credentials)
    server.start()
    try:
        client_id = server.add_client(redirect_uris=[REDIRECT])["client_id"]
        person = ask_for_code(server, client_id, "ses@example.com")
        assert signs_in(person, ses_code(moto, "ses@example.com"))
        status = json.loads(server.cli("mail", "status", "--json").stdout)
        assert status[0]["state"] == "sent" and status[0]["provider"] == "ses:us-east-1"
    finally:
        assert server.stop() == 0


class ContainerCredentials:
    """Plays the ECS container credentials endpoint of a task role: temporary credentials, valid for an hour, for a
    GET with the right Authorization header."""

    TOKEN = "container-authorization-for-tests"

    def __init__(self):
        self.authorizations = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                endpoint.authorizations.append((self.path, self.headers.get("Authorization")))
                if self.headers.get("Authorization") != ContainerCredentials.TOKEN:
                    self.send_response(401)
                    self.end_headers()
                    return
                expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
                body = json.dumps({"AccessKeyId": "ASIACONTAINERROLE", "SecretAccessKey": "container-role-secret",
                                   "Token": "container-role-session-token", "Expiration": expiration}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v2/credentials/task"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_amazon_ses_with_credentials_of_the_task_role(binary, tmp_path, moto):
    create_sender_identity(moto)
    role = ContainerCredentials()
    token_file = tmp_path / "container-authorization"
    token_file.write_text(ContainerCredentials.TOKEN + "\n")
    server = Server(binary, tmp_path / "data", "", extra=["--mail-url", f"ses://us-east-1?endpoint={moto}"])
    server.environment = dict(without_aws_settings(), AWS_CONTAINER_CREDENTIALS_FULL_URI=role.url,
                              AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=str(token_file))
    server.start()
    try:
        assert role.authorizations == [], "nothing is fetched at startup"
        client_id = server.add_client(redirect_uris=[REDIRECT])["client_id"]
        for recipient in ["role-1@example.com", "role-2@example.com"]:
            person = ask_for_code(server, client_id, recipient)
            assert signs_in(person, ses_code(moto, recipient))
        assert role.authorizations == [("/v2/credentials/task", ContainerCredentials.TOKEN)], "fetched once, then cached"
        status = json.loads(server.cli("mail", "status", "--json").stdout)
        assert [row["state"] for row in status] == ["sent", "sent"]
    finally:
        assert server.stop() == 0
        role.server.shutdown()
