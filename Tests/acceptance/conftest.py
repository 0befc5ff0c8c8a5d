"""Black-box fixtures: the built binary, a real SMTP server (aiosmtpd), and a running Logintoo on loopback."""
import email
import email.policy
import json
import os
import pathlib
import re
import socket
import subprocess
import threading
import time

import pytest
import requests
from aiosmtpd.controller import Controller

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("LOGINTOO_BIN", ROOT / ".build" / "debug" / "logintoo"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Messages received by the SMTP server, parsed."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append((envelope.rcpt_tos, message, session))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, recipient, count=1, timeout=15):
        """The newest message to `recipient` once at least `count` have arrived."""
        deadline = time.time() + timeout
        with self.arrived:
            while True:
                mine = [m for rcpt, m, _ in self.messages if recipient in rcpt]
                if len(mine) >= count:
                    return mine[-1]
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError(f"no email to {recipient} within {timeout}s")
                self.arrived.wait(remaining)

    def code_for(self, recipient, count=1):
        message = self.wait_for(recipient, count)
        return codes_in(message.get_body(preferencelist=("plain",)).get_content(), exactly_one=True)[0]


CODE_LINE = re.compile(r"^\s*(\d{3,5}) ?(\d{3,5})\s*$", re.M)


def codes_in(text, exactly_one=False):
    """The one-time codes in an email's text: lines of digits, grouped for reading as `1234 5678`."""
    codes = [first + second for first, second in CODE_LINE.findall(text)]
    assert len(codes) == 1 or not exactly_one, text
    return codes


@pytest.fixture(scope="session")
def binary():
    if not BINARY.exists():
        subprocess.run(["swift", "build", "--product", "logintoo"], cwd=ROOT, check=True)
    return str(BINARY)


@pytest.fixture(scope="session")
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class Server:
    """A Logintoo process on a free loopback port with its own data folder."""

    def __init__(self, binary, data_dir, smtp_url, extra=(), issuer=None, shared=()):
        self.binary = binary
        self.data_dir = str(data_dir)
        os.makedirs(self.data_dir, exist_ok=True)
        self.port = free_port()
        self.issuer = issuer or f"http://127.0.0.1:{self.port}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.shared = list(shared)
        self.smtp_url = smtp_url
        self.extra = list(extra)
        self.environment = None
        self.process = None

    def settings(self):
        return ["--data-dir", self.data_dir, *self.shared]

    def start(self):
        log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--issuer", self.issuer,
             "--smtp-url", self.smtp_url, "--mail-from", "Logintoo <login@example.test>", *self.settings(), *self.extra],
            stdout=log, stderr=log, env=self.environment)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + open(os.path.join(self.data_dir, "server.log")).read())
            time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        return self.process.returncode

    def cli(self, *args, check=True):
        return subprocess.run([self.binary, *args, *self.settings()], capture_output=True, text=True, check=check, timeout=60)

    def add_client(self, name="Acceptance", redirect_uris=("http://127.0.0.1:9/callback",), confidential=False, post_logout=()):
        args = ["client", "add", "--name", name, "--json"]
        for uri in redirect_uris:
            args += ["--redirect-uri", uri]
        for uri in post_logout:
            args += ["--post-logout-redirect-uri", uri]
        if confidential:
            args.append("--confidential")
        return json.loads(self.cli(*args).stdout)


@pytest.fixture
def server(binary, smtp, tmp_path):
    instance = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}").start()
    yield instance
    assert instance.stop() == 0, "graceful shutdown exits 0"


def keep_rotating(family, stop):
    """A client refreshing in a loop at `family["home"]` until `stop` is set, keeping the newest refresh token whose
    answer arrived in `family["latest"]`; a lost connection ends it with `cut_off`, a refusal with `error`."""
    while not stop.is_set():
        try:
            answer = requests.patch(family["home"].url + "/2026-06/token", timeout=30,
                                    json={"grant_type": "refresh_token", "refresh_token": family["latest"]})
        except requests.RequestException:
            family["cut_off"] = True
            return
        if answer.status_code != 200:
            family["error"] = answer.status_code
            return
        family["latest"] = answer.json()["refresh_token"]
        family["rotations"] += 1

