"""SMTP delivery over STARTTLS and implicit TLS, with AUTH, against a real aiosmtpd server; and a relay that does
not offer STARTTLS, which never hears the credentials or the mail."""
import datetime
import functools
import ipaddress
import json
import os
import ssl
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from browser import Person
from conftest import Inbox, Server, free_port
from test_sign_in import authorize_url


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "smtp.pem", tmp_path / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context, cert_path


def authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == b"mailer" and auth_data.password == b"s3cret p@ss")


class CommandLog(SMTP):
    """An aiosmtpd session that records each command it receives, and whether TLS was on when it came."""

    def __init__(self, handler, commands, **kwargs):
        super().__init__(handler, **kwargs)
        self._smtp_methods = {name: self.recorded(name, method, commands) for name, method in self._smtp_methods.items()}

    def recorded(self, name, method, commands):
        @functools.wraps(method)
        async def record_then_run(arg):
            commands.append((name, self._tls_protocol is not None))
            await method(arg)
        return record_then_run


class RecordingController(Controller):
    """An aiosmtpd server whose `commands` lists (command, under TLS) across its connections."""

    def __init__(self, handler, **kwargs):
        super().__init__(handler, **kwargs)
        self.commands = []

    def factory(self):
        return CommandLog(self.handler, self.commands, **self.SMTP_kwargs)


def wait_until(condition, what, timeout=10):
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"no {what} within {timeout}s"
        time.sleep(0.05)


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_delivery_over_tls_with_auth(binary, tmp_path, mode):
    context, cert_path = self_signed(tmp_path)
    inbox = Inbox()
    port = free_port()
    if mode == "starttls":
        # The server would take AUTH in clear text too: the client is the one that waits for TLS.
        controller = RecordingController(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                                         authenticator=authenticator, auth_require_tls=False)
        url = f"smtp://mailer:s3cret%20p%40ss@127.0.0.1:{port}?ca_file={cert_path}"
    else:
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=context, authenticator=authenticator,
                                auth_require_tls=False)
        url = f"smtps://mailer:s3cret%20p%40ss@127.0.0.1:{port}?ca_file={cert_path}"
    controller.start()
    server = Server(binary, tmp_path, url).start()
    try:
        client_id = server.add_client()["client_id"]
        person = Person(server, inbox, "tls@example.com")
        person.submit_email(person.open(authorize_url(server, client_id)))
        assert len(inbox.code_for(person.email)) == 8
        _, _, session = inbox.messages[-1]
        assert session.authenticated
        if mode == "starttls":
            assert session.ssl is not None
            names = [name for name, _ in controller.commands]
            assert names.index("STARTTLS") < names.index("AUTH")
            assert all(tls for name, tls in controller.commands if name in ("AUTH", "MAIL", "RCPT", "DATA"))
    finally:
        assert server.stop() == 0
        controller.stop()


def test_a_relay_without_starttls_never_receives_the_credentials(binary, tmp_path):
    """smtp://user:pass@… requires STARTTLS: a relay that offers AUTH but not STARTTLS (as when an attacker on the path
    strips the offer) hears EHLO and QUIT only; the email stays in the outbox, to be retried, and the log says why."""
    inbox = Inbox()
    relay = RecordingController(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                                auth_require_tls=False)
    relay.start()
    server = Server(binary, tmp_path, f"smtp://mailer:s3cret%20p%40ss@127.0.0.1:{relay.port}").start()
    try:
        client_id = server.add_client()["client_id"]
        person = Person(server, inbox, "stripped@example.com")
        person.submit_email(person.open(authorize_url(server, client_id)))
        log_path = os.path.join(server.data_dir, "server.log")
        wait_until(lambda: "did not offer STARTTLS" in open(log_path).read(), "log line about the missing STARTTLS")
        wait_until(lambda: ("QUIT", False) in relay.commands, "QUIT")
        failure = next(line for line in open(log_path) if "did not offer STARTTLS" in line)
        assert "will retry" in failure and f"127.0.0.1:{relay.port}" in failure and "smtps://" in failure
        assert {name for name, _ in relay.commands} == {"EHLO", "QUIT"}
        assert inbox.messages == []
        status = json.loads(server.cli("mail", "status", "--json").stdout)
        [email] = [row for row in status if row["recipient"] == person.email]
        assert email["state"] == "failed" and email["attempts"] >= 1 and "provider" not in email
        assert "did not offer STARTTLS" in email["last_error"]
    finally:
        assert server.stop() == 0
        relay.stop()


class InjectingRelay:
    """A relay, or an attacker on its path, that answers STARTTLS with `220` and, in the same segment, forged replies
    meant to be read as if they had come over TLS (the clear-text injection of CVE-2011-0411)."""

    def __init__(self):
        import socket
        import threading
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.commands = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.listener.settimeout(15)
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            connection.sendall(b"220 relay.test ESMTP\r\n")
            reader = connection.makefile("rb")
            for raw in reader:
                command = raw.decode(errors="replace").strip()
                self.commands.append(command.split(" ")[0].upper())
                if command.upper().startswith("EHLO"):
                    connection.sendall(b"250-relay.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
                elif command.upper() == "STARTTLS":
                    connection.sendall(b"220 go ahead\r\n250-forged.test\r\n250 AUTH PLAIN\r\n")
                else:
                    connection.sendall(b"221 bye\r\n")
                    return

    def stop(self):
        self.listener.close()


def test_clear_text_injected_after_the_starttls_reply_ends_the_conversation(binary, tmp_path):
    relay = InjectingRelay()
    server = Server(binary, tmp_path, f"smtp://mailer:secret@127.0.0.1:{relay.port}").start()
    try:
        client_id = server.add_client()["client_id"]
        person = Person(server, Inbox(), "injected@example.com")
        person.submit_email(person.open(authorize_url(server, client_id)))
        log_path = os.path.join(server.data_dir, "server.log")
        wait_until(lambda: "clear text after the STARTTLS reply" in open(log_path).read(), "log line about the injection")
        assert relay.commands == ["EHLO", "STARTTLS"], "no TLS handshake on forged bytes, no AUTH, no MAIL"
    finally:
        assert server.stop() == 0
        relay.stop()
