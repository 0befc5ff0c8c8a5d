"""The original Logintoo JSON API's layer is a target of its own over the core: it links the core and swift-crypto and no
web framework, so which HTTP status answers a refusal is decided at the edge (LogintooHTTP), and the core links none of
it. Read from the manifest, with no build."""
from test_package_layout import HUMMINGBIRD, manifest, products_reached

LAYER = "LogintooAPICompatibility"


def target_dependencies(package, name):
    """The names of a target's direct dependencies, targets and products alike."""
    target = next(target for target in package["targets"] if target["name"] == name)
    return {next(iter(dependency.values()))[0] for dependency in target["dependencies"]}


def test_the_logintoo_api_layer_depends_on_the_core_and_crypto_only(tmp_path):
    package = manifest(tmp_path)
    assert target_dependencies(package, LAYER) == {"LogintooCore", "Crypto"}
    as_product = dict(package, products=[{"name": LAYER, "targets": [LAYER]}])
    reached = products_reached(as_product, LAYER)
    assert not [product for product in reached if product[0] == HUMMINGBIRD], reached


def test_the_http_edge_uses_the_logintoo_api_layer_and_the_core_does_not(tmp_path):
    package = manifest(tmp_path)
    assert LAYER in target_dependencies(package, "LogintooHTTP")
    assert LAYER not in target_dependencies(package, "LogintooCore")
