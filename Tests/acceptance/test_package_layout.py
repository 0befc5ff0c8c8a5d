"""The package's shape: the verifier library stands alone, so a resource server on another framework (Vapor, say) links
no Hummingbird; the Hummingbird middleware is a product of its own. Read from the manifest and the resolved package
graph, with no build."""
import json
import subprocess

from conftest import ROOT

HUMMINGBIRD = "hummingbird"


def swift_package(*arguments):
    """The JSON a `swift package` subcommand prints for the repository's package."""
    result = subprocess.run(["swift", "package", *arguments], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(result.stdout)


def manifest(scratch):
    """The evaluated manifest. It needs no build directory, so a scratch one spares waiting for a build running in
    `.build`."""
    return swift_package("--scratch-path", str(scratch), "dump-package")


def products_reached(manifest, product_name):
    """Every (package, product) a library product links, following its targets through the package's own targets."""
    targets = {target["name"]: target for target in manifest["targets"]}
    product = next(product for product in manifest["products"] if product["name"] == product_name)
    pending, seen, reached = list(product["targets"]), set(), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for dependency in targets[name]["dependencies"]:
            kind, (dependency_name, *rest) = next(iter(dependency.items()))
            if kind == "product":
                reached.add((rest[0], dependency_name))
            elif dependency_name in targets:
                pending.append(dependency_name)
            else:
                # A bare name that is no target of ours names the product of the package spelt the same.
                reached.add((dependency_name.lower(), dependency_name))
    return reached


def package_closure(packages):
    """`packages` and the packages they depend on, transitively, in the resolved graph. A package counts whole, whichever
    of its products is used, so the answer can only err towards finding Hummingbird."""
    edges = {}

    def collect(node):
        edges.setdefault(node["identity"], set()).update(child["identity"] for child in node["dependencies"])
        for child in node["dependencies"]:
            collect(child)

    collect(swift_package("show-dependencies", "--format", "json"))
    pending, closure = list(packages), set()
    while pending:
        package = pending.pop()
        if package not in closure:
            closure.add(package)
            pending.extend(edges.get(package, ()))
    return closure


def test_the_verifier_library_links_no_hummingbird(tmp_path):
    reached = products_reached(manifest(tmp_path), "LogintooVerifier")
    assert ("swift-crypto", "Crypto") in reached and ("async-http-client", "AsyncHTTPClient") in reached
    assert not [product for product in reached if product[0] == HUMMINGBIRD], reached
    packages = package_closure({package for package, _ in reached})
    assert HUMMINGBIRD not in packages, sorted(packages)


def test_the_hummingbird_middleware_is_a_product_of_its_own_on_top_of_the_verifier(tmp_path):
    package = manifest(tmp_path)
    product = next(product for product in package["products"] if product["name"] == "LogintooVerifierHummingbird")
    assert product["targets"] == ["LogintooVerifierHummingbird"] and "library" in product["type"]
    middleware = next(target for target in package["targets"] if target["name"] == "LogintooVerifierHummingbird")
    assert {"byName": ["LogintooVerifier", None]} in middleware["dependencies"]
    assert (HUMMINGBIRD, "Hummingbird") in products_reached(package, "LogintooVerifierHummingbird")
