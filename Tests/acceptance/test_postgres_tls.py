"""TLS to PostgreSQL that an active attacker cannot downgrade: libpq's sslmode values against a server of our own whose
certificate comes from a test authority, and a Unix socket to the same server."""
import base64
import datetime
import glob
import ipaddress
import os
import pathlib
import secrets
import shutil
import subprocess
import tempfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import free_port

# scripts/postgres-up installs the server, adds the postgres user and starts the shared test server (TLS off); this file
# also starts a server of its own, on the worker of the other PostgreSQL tests.
pytestmark = [pytest.mark.skipif(not os.environ.get("LOGINTOO_TEST_POSTGRES_URL"), reason="LOGINTOO_TEST_POSTGRES_URL is not set"),
              pytest.mark.xdist_group("postgres")]
KEY = base64.b64encode(secrets.token_bytes(32)).decode()
# The server listens on both; its certificate names localhost and 127.0.0.1 only.
CERTIFIED, UNCERTIFIED = "127.0.0.1", "127.0.0.2"


def authority(name):
    """A self-signed certificate authority: (certificate, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                                key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .sign(key, hashes.SHA256()))
    return certificate, key


def server_certificate(ca, ca_key):
    """The server's certificate, for localhost and 127.0.0.1, signed by `ca`: (certificate, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
                   .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                               x509.IPAddress(ipaddress.ip_address(CERTIFIED))]), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    return certificate, key


def pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)


class TLSCluster:
    """A PostgreSQL cluster of its own on loopback that accepts TCP connections over TLS only (pg_hba `hostssl`)."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2]))[-1]
        self.data = folder / "data"
        self.sockets = folder / "sockets"
        ca, ca_key = authority("Logintoo test CA")
        stranger, _ = authority("Some other CA")
        self.ca = folder / "ca.pem"
        self.ca.write_bytes(pem(ca))
        self.other_ca = folder / "other-ca.pem"
        self.other_ca.write_bytes(pem(stranger))
        certificate, key = server_certificate(ca, ca_key)
        self.server_files = folder / "server"
        self.server_files.mkdir()
        (self.server_files / "server.crt").write_bytes(pem(certificate))
        (self.server_files / "server.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    def as_postgres(self, *command):
        return subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, text=True, timeout=60)

    def start(self):
        self.folder.chmod(0o755)
        for path in [self.data, self.sockets]:
            path.mkdir(mode=0o700)
        subprocess.run(["chown", "-R", "postgres:postgres", str(self.data), str(self.sockets), str(self.server_files)], check=True)
        (self.server_files / "server.key").chmod(0o600)
        self.as_postgres(f"{self.bin}/initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync",
                         "-E", "UTF8", "--locale=C.UTF-8")
        # TCP over TLS only; the Unix socket needs none.
        (self.data / "pg_hba.conf").write_text("local all all trust\nhostssl all all 127.0.0.0/8 trust\n")
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses={CERTIFIED},{UNCERTIFIED} -c ssl=on "
                   f"-c ssl_cert_file={self.server_files}/server.crt -c ssl_key_file={self.server_files}/server.key "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self.as_postgres(f"{self.bin}/pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-t", "30",
                         "-o", options, "start")

    def stop(self):
        subprocess.run(["runuser", "-u", "postgres", "--", f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)

    def url(self, host, query):
        return f"postgres://postgres@{host}:{self.port}/postgres?{query}"


@pytest.fixture(scope="module")
def cluster():
    folder = pathlib.Path(tempfile.mkdtemp(prefix="logintoo-pg-tls-"))
    tls_cluster = TLSCluster(folder)
    try:
        tls_cluster.start()
        yield tls_cluster
    finally:
        tls_cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def migrate(binary, tmp_path, url, *more):
    """`logintoo migrate` against `url`; the finished process."""
    return subprocess.run([str(binary), "migrate", "--data-dir", str(tmp_path / "data"), "--database-url", url,
                           "--key-encryption-key", KEY, *more], capture_output=True, text=True, timeout=30)


def succeeds(result):
    assert result.returncode == 0, result.stderr
    assert "is up to date" in result.stdout


def refused(result, *reasons):
    """The run failed, quickly and with a message that names the server, the mode and the reason."""
    assert result.returncode != 0, result.stdout
    for reason in reasons:
        assert reason in result.stderr, result.stderr
    assert "check LOGINTOO_DATABASE_URL (and its sslmode, sslrootcert) or LOGINTOO_DATABASE_TLS" in result.stderr


def test_verify_full_with_the_test_authority_succeeds_by_name_and_by_address(binary, cluster, tmp_path):
    succeeds(migrate(binary, tmp_path, cluster.url("localhost", f"sslmode=verify-full&sslrootcert={cluster.ca}")))
    succeeds(migrate(binary, tmp_path, cluster.url(CERTIFIED, f"sslmode=verify-full&sslrootcert={cluster.ca}")))


def test_verify_full_with_an_authority_that_did_not_sign_the_certificate_fails(binary, cluster, tmp_path):
    refused(migrate(binary, tmp_path, cluster.url("localhost", f"sslmode=verify-full&sslrootcert={cluster.other_ca}")),
            "cannot connect to PostgreSQL at localhost (sslmode verify-full)",
            "the server's certificate is not signed by the authorities in sslrootcert")


def test_require_verifies_the_certificate_against_the_system_authorities(binary, cluster, tmp_path):
    """Unlike libpq's require, which would accept a certificate from anyone, an active attacker's included."""
    refused(migrate(binary, tmp_path, cluster.url("localhost", "sslmode=require")),
            "(sslmode require)", "the server's certificate is not signed by the system's certificate authorities")


def test_verify_full_to_an_address_the_certificate_does_not_name_fails_while_verify_ca_succeeds(binary, cluster, tmp_path):
    refused(migrate(binary, tmp_path, cluster.url(UNCERTIFIED, f"sslmode=verify-full&sslrootcert={cluster.ca}")),
            f"cannot connect to PostgreSQL at {UNCERTIFIED} (sslmode verify-full)", f"the server's certificate is not for {UNCERTIFIED}")
    succeeds(migrate(binary, tmp_path, cluster.url(UNCERTIFIED, f"sslmode=verify-ca&sslrootcert={cluster.ca}")))


def test_disable_against_a_server_that_requires_tls_fails(binary, cluster, tmp_path):
    refused(migrate(binary, tmp_path, cluster.url(CERTIFIED, "sslmode=disable")),
            "(sslmode disable)", "the server says: no pg_hba.conf entry", "no encryption")
    # Without sslmode, a loopback address gets no TLS either: its traffic never leaves the machine.
    refused(migrate(binary, tmp_path, cluster.url(CERTIFIED, f"sslrootcert={cluster.ca}")), "no encryption")


def test_the_database_tls_setting_applies_to_a_url_without_sslmode_and_never_weakens_one_with_it(binary, cluster, tmp_path):
    url = cluster.url("localhost", f"sslrootcert={cluster.ca}")
    succeeds(migrate(binary, tmp_path, url, "--database-tls", "verify-full"))
    refused(migrate(binary, tmp_path, url, "--database-tls", "disable"), "(sslmode disable)", "no encryption")
    conflict = migrate(binary, tmp_path, cluster.url("localhost", f"sslmode=verify-full&sslrootcert={cluster.ca}"),
                       "--database-tls", "disable")
    assert conflict.returncode != 0 and "sslmode=verify-full; set one of them" in conflict.stderr, conflict.stderr


def test_unix_socket_urls_work_in_libpq_and_postgres_kit_forms(binary, cluster, tmp_path):
    libpq = f"postgres://postgres@:{cluster.port}/postgres?host={cluster.sockets}"
    result = migrate(binary, tmp_path, libpq)
    succeeds(result)
    assert f"on {cluster.sockets}/.s.PGSQL.{cluster.port}" in result.stdout
    succeeds(migrate(binary, tmp_path, f"postgres+uds://postgres@localhost{cluster.sockets}/.s.PGSQL.{cluster.port}#postgres"))


def test_require_against_a_server_without_tls_fails(binary, tmp_path):
    """The shared test server has TLS off: where libpq's prefer would quietly go on in plain text, require stops."""
    plain = os.environ["LOGINTOO_TEST_POSTGRES_URL"].replace("sslmode=disable", "sslmode=require")
    refused(migrate(binary, tmp_path, plain), "(sslmode require)", "the server does not offer TLS")
