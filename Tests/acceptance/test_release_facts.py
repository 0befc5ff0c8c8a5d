"""What an operator installing a release relies on: the version everywhere it is shown, a health check without curl,
the licence, and a changelog that names the version and every migration it runs."""
import re
import socket
import subprocess

import requests

from conftest import ROOT

VERSION = re.search(r'current = "([0-9.]+)"', (ROOT / "Sources/LogintooCore/Support/LogintooVersion.swift").read_text()).group(1)


def test_the_version_is_in_the_cli_healthz_and_metrics(server):
    printed = subprocess.run([server.binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert printed == VERSION
    health = requests.get(server.issuer + "/healthz", timeout=5)
    assert health.status_code == 200 and health.headers["Logintoo-Version"] == VERSION
    metrics = requests.get(server.issuer + "/metrics", timeout=5).text
    assert f'logintoo_build_info{{version="{VERSION}"}} 1' in metrics


def test_logintoo_health_checks_the_server_on_this_machine(server):
    port = server.issuer.rsplit(":", 1)[1]
    healthy = subprocess.run([server.binary, "health", "--address", f"127.0.0.1:{port}"], capture_output=True, text=True)
    assert healthy.returncode == 0 and "healthy" in healthy.stdout
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = unused.getsockname()[1]
    down = subprocess.run([server.binary, "health", "--address", f"127.0.0.1:{closed}"], capture_output=True, text=True)
    assert down.returncode == 1 and "unhealthy" in down.stdout
    elsewhere = subprocess.run([server.binary, "health", "--address", "192.0.2.1:80"], capture_output=True, text=True)
    assert elsewhere.returncode != 0 and "127.0.0.1" in elsewhere.stderr


def test_the_licence_and_the_changelog():
    assert "Apache License" in (ROOT / "LICENSE").read_text() and "Version 2.0" in (ROOT / "LICENSE").read_text()
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"({VERSION})" in changelog or f"## {VERSION}" in changelog, "the changelog has a section for this version"
    migrations = [int(n) for n in re.findall(r"Migration\(version: (\d+)", (ROOT / "Sources/LogintooStore/Migrations.swift").read_text())]
    assert re.search(rf"Migrations \d+–{max(migrations)}\b", changelog), "the changelog names the newest migration"


def test_ci_makes_the_release_and_proves_it_runs_without_swift():
    """The release itself runs in CI (scripts/test calls scripts/release); this checks what needs no release build."""
    script = ROOT / "scripts" / "release"
    assert script.stat().st_mode & 0o111, "scripts/release is executable"
    text = script.read_text()
    assert "scripts/release-build" in text and "strip" in text
    assert "sha256sum" in text and "SHA256SUMS" in text and "linux-x86_64" in text
    assert "chroot" in text and "libswift" in text, "smoke-tested in a root without Swift"
    assert "refs/tags/" in text, "refuses a version tagged on another commit"
    assert re.search(r"^scripts/release$", (ROOT / "scripts" / "test").read_text(), re.M)
    assert "/dist/" in (ROOT / ".gitignore").read_text().splitlines()
    assert "dist" in (ROOT / ".dockerignore").read_text().splitlines()


def test_every_release_build_lays_out_its_code_for_a_small_footprint():
    """One build command for the release, the container and the benchmarks, with the layout docs/performance.md
    measures; scripts/release (run in CI) reads the layout back from the binary it built and fails without it."""
    script = ROOT / "scripts" / "release-build"
    assert script.stat().st_mode & 0o111, "scripts/release-build is executable"
    command = " ".join(line.split("#")[0] for line in script.read_text().splitlines() if not line.lstrip().startswith("#"))
    for flag in ("--static-swift-stdlib", "-Xfrontend -Xswiftc -function-sections", "-Xcc -ffunction-sections",
                 "-disable-incremental-llvm-codegen", "-use-ld=lld", '"--symbol-ordering-file=$order"',
                 "-Xlinker --no-warn-symbol-ordering", '-Xlinker "--script=$local_functions"', "-Xlinker --no-export-dynamic"):
        assert flag in command, flag
    assert 'order="$root/scripts/release-text-order.txt"' in command
    assert 'local_functions="$root/scripts/release-text-order.ld"' in command
    for user in ("scripts/release", "deploy/Dockerfile", "benchmarks/run.sh", "docs/deploy-vm.md", "README.md"):
        text = (ROOT / user).read_text()
        assert "scripts/release-build" in text and "swift build -c release" not in text, user
    assert re.search(r"^COPY scripts/release-build scripts/release-text-order.txt scripts/release-text-order.ld ",
                     (ROOT / "deploy" / "Dockerfile").read_text(), re.M)
    assert re.search(r'^check_layout "\$binary"$', (ROOT / "scripts" / "release").read_text(), re.M)
    listed = (ROOT / "scripts" / "release-text-order.txt").read_text().splitlines()
    assert len(listed) > 5000 and all(re.fullmatch(r"[A-Za-z_$][\w.$]*", line) for line in listed), "one symbol per line"
    assert len(set(listed)) == len(listed), "each function once"
    script = (ROOT / "scripts" / "release-text-order.ld").read_text().splitlines()
    written = re.fullmatch(r"/\* Written by scripts/release-text-order: (\d+) sections, (\d+) bytes\. \*/", script[0])
    assert written, "the header scripts/release compares the linked section with"
    assert script[1:3] == ["SECTIONS {", "  .text.hot : {"]
    assert script[-3:] == ["  }", "}", "INSERT BEFORE .text;"], "added to lld's own layout, just before the text"
    placed = script[3:-3]
    assert len(placed) == int(written.group(1)) > 100 and len(set(placed)) == len(placed), "each local function section once"
    for line in placed:
        assert re.fullmatch(r"    \*/([\w+-]+\.build/[\w+./-]+\.o|[\w+-]+\.a:[\w+.-]+\.o|[\w+.-]+\.o)\(\.text\.\.L[\w.$?]+\)", line), line
