"""The arrows between the package's own modules, as docs/architecture.md draws them: the core depends on none of the
adapters, the HTTP edge reaches neither the store nor the mailers, and the WebAuthn and DPoP modules stand alone. Read from the
manifest, with no build."""
from test_api_compatibility_layout import target_dependencies
from test_package_layout import manifest

# The package's own targets each library target may depend on.
ALLOWED = {
    "LogintooWebAuthn": set(),
    "LogintooDPoP": set(),
    "LogintooTraces": set(),
    "LogintooTemplates": set(),
    "LogintooCore": {"LogintooWebAuthn", "LogintooDPoP"},
    "LogintooAPICompatibility": {"LogintooCore"},
    "LogintooStore": {"LogintooCore", "LogintooTraces"},
    "LogintooMail": {"LogintooCore", "LogintooTraces", "LogintooTemplates"},
    "LogintooVerifier": {"LogintooDPoP"},
    "LogintooVerifierHummingbird": {"LogintooVerifier"},
    "LogintooHTTP": {"LogintooCore", "LogintooAPICompatibility", "LogintooVerifier", "LogintooVerifierHummingbird",
                     "LogintooTraces", "LogintooTemplates"},
}


def test_each_module_depends_only_on_the_modules_the_architecture_allows(tmp_path):
    package = manifest(tmp_path)
    own = {target["name"] for target in package["targets"]}
    for name, allowed in ALLOWED.items():
        used = target_dependencies(package, name) & own
        assert used <= allowed, f"{name} depends on {sorted(used - allowed)}, which docs/architecture.md does not allow"


def test_the_webauthn_module_depends_on_swift_crypto_alone(tmp_path):
    assert target_dependencies(manifest(tmp_path), "LogintooWebAuthn") <= {"Crypto", "_CryptoExtras"}


def test_the_dpop_module_depends_on_swift_crypto_alone(tmp_path):
    assert target_dependencies(manifest(tmp_path), "LogintooDPoP") <= {"Crypto", "_CryptoExtras"}


def test_the_traces_module_depends_on_tracing_alone(tmp_path):
    """The core stays free of tracing: only the adapters and the HTTP edge see `Traces`."""
    assert target_dependencies(manifest(tmp_path), "LogintooTraces") <= {"Tracing"}


def test_the_templates_module_depends_on_mustache_alone(tmp_path):
    assert target_dependencies(manifest(tmp_path), "LogintooTemplates") <= {"Mustache"}
