"""The shape of the code: data flows spec -> airudder_spec -> {client, mock, contract suite}, without cycles.

Read from the source with `ast` (every import counts, at module level or inside a function), so the check sees
what a reader sees, not only what one test run happened to import.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "airudder_spec": ROOT / "spec_package" / "airudder_spec",
    "airudder": ROOT / "overrides" / "airudder",
    "airudder_mock": ROOT / "mock_server" / "airudder_mock",
    "airudder_contract": ROOT / "contract_tests" / "airudder_contract",
}
# what each part may import of the others (airudder_api, the generated client, is everyone's to use)
ALLOWED = {
    "airudder_spec": set(),
    "airudder": {"airudder_spec"},
    "airudder_mock": {"airudder_spec", "airudder"},
    "airudder_contract": {"airudder_spec", "airudder", "airudder_mock"},
}


def module_name(package: str, path: Path) -> str:
    parts = [package, *path.relative_to(PACKAGES[package]).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every hand-written module -> the modules it imports (`from x import y` counts y when y is a module)."""
    modules = {
        module_name(package, path): path for package, folder in PACKAGES.items() for path in folder.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:  # `from package import module` imports the module, not all of the package
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
        graph[name] = {f for f in found if f.split(".")[0] in PACKAGES or f.split(".")[0] == "airudder_api"}
    return graph


GRAPH = imports()


def private(module: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in module.split("."))


@pytest.mark.parametrize("package", list(PACKAGES))
def test_each_part_imports_only_the_parts_upstream_of_it(package: str) -> None:
    wrong = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in {package, "airudder_api", *ALLOWED[package]}
    }
    assert not wrong, f"{package} imports parts downstream of it: {sorted(wrong)}"


def test_no_part_imports_a_private_module_of_another() -> None:
    wrong = {
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if target.split(".")[0] != module.split(".")[0] and private(target)
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("package", list(PACKAGES))
def test_no_import_cycles(package: str) -> None:
    inside = {m: {t for t in ts if t.split(".")[0] == package and t != m} for m, ts in GRAPH.items()}
    inside = {m: ts for m, ts in inside.items() if m.split(".")[0] == package}
    # a package's __init__ re-exports its modules: importing the package itself is not a cycle through them
    inside = {m: {t for t in ts if t != package} for m, ts in inside.items()}
    try:
        tuple(graphlib.TopologicalSorter(inside).static_order())
    except graphlib.CycleError as cycle:
        pytest.fail(f"import cycle in {package}: {' -> '.join(cycle.args[1])}")


def test_the_check_sees_the_imports_it_should() -> None:
    assert "airudder_spec" in GRAPH["airudder.webhooks._receiver"]
    assert "airudder._operations" in GRAPH["airudder._exceptions"]
    assert "airudder.serving" in GRAPH["airudder_mock.handle"]


def test_the_contract_suite_uses_only_the_mocks_public_api() -> None:
    wrong = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("airudder_contract")
        for target in targets
        if target.startswith("airudder_mock.")
    }
    assert not wrong, f"import these from airudder_mock itself (its __all__): {sorted(wrong)}"


def test_the_mock_imports_the_serving_parts_not_the_client_package() -> None:
    """The mock shares the spec and the serving infrastructure (airudder.serving, .settling, .extras), never the
    client's request logic: nothing of it imports `airudder` itself (its version is the distribution's)."""
    wrong = {(m, t) for m, ts in GRAPH.items() if m.startswith("airudder_mock") for t in ts if t == "airudder"}
    assert not wrong, sorted(wrong)
