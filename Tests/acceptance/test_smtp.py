"""SMTP delivery over STARTTLS and implicit TLS, with AUTH, against a real aiosmtpd server."""
import datetime
import ipaddress
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
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


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_delivery_over_tls_with_auth(binary, tmp_path, mode):
    context, cert_path = self_signed(tmp_path)
    inbox = Inbox()
    port = free_port()
    if mode == "starttls":
        controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                                authenticator=authenticator, auth_require_tls=True)
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
    finally:
        assert server.stop() == 0
        controller.stop()
