"""Every public name of the packages users import says what it is: `help()` and IDEs show these docstrings.

Public: the names in a package's `__all__`, and the public methods and properties of public classes (a method
inherited from the generated client counts only where ours overrides it). The generated `airudder_api` is
openapi-python-client's and is not walked.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

MODULES = ("airudder_spec", "airudder", "airudder.webhooks", "airudder.pagination", "airudder.extras", "airudder_mock")
OURS = ("airudder_spec", "airudder", "airudder_mock", "airudder_contract")


def own_doc(value: Any) -> str | None:
    return value.__doc__ if "__doc__" in getattr(value, "__dict__", {}) or not inspect.isclass(value) else None


def public_names() -> Iterator[tuple[str, Any]]:
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        yield module_name, module
        names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
        for name in names:
            value = getattr(module, name)
            if inspect.ismodule(value) or getattr(value, "__module__", "").split(".")[0] not in OURS:
                continue
            yield f"{module_name}.{name}", value
            if inspect.isclass(value):
                for attr, member in vars(value).items():
                    if attr.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
                        continue
                    yield f"{module_name}.{name}.{attr}", member


@pytest.mark.parametrize(("name", "value"), list(public_names()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_public_name_has_a_docstring(name: str, value: Any) -> None:
    doc = (value.fget.__doc__ if isinstance(value, property) else own_doc(value)) or ""
    assert doc.strip(), f"{name} has no docstring"


def test_with_headers_says_it_changes_the_client_in_place() -> None:
    import airudder

    for method in ("with_headers", "with_cookies", "with_timeout"):
        doc = inspect.getdoc(getattr(airudder.Client, method)) or ""
        assert "in place" in doc and "new client" not in doc.lower(), (method, doc)
