"""Which optional extra each part of airudder-workflow needs, and a clear error when it is not installed.

The core install (`pip install airudder-workflow`) is the client. The servers are extras, so a user of the
client does not pull in a web server stack: `airudder-workflow[webhooks]` (the receiver), `[mock]` (the mock
server and its pytest fixture), `[contract]` (the `airudder-contract` command), `[postgres]` (the PostgreSQL
event store).
"""

from __future__ import annotations

import importlib.util

EXTRAS: dict[str, tuple[str, ...]] = {
    "webhooks": ("starlette", "uvicorn", "click"),
    "mock": ("starlette", "uvicorn", "click"),
    "contract": ("starlette", "uvicorn", "click", "schemathesis", "hypothesis", "pytest", "rich"),
    "postgres": ("psycopg", "psycopg_pool"),
}
"""Extra -> the modules it installs that the part imports."""


class MissingExtraError(ModuleNotFoundError):
    """A part of the package was used without the extra that installs what it imports."""


def missing_modules(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported here (found without importing them)."""
    return [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]


def require(extra: str, part: str) -> None:
    """Raise `MissingExtraError` naming the pip command when `part` cannot run for want of `extra`."""
    missing = missing_modules(extra)
    if missing:
        raise MissingExtraError(
            f"{part} needs {', '.join(missing)}: install airudder-workflow[{extra}] "
            f"(pip install 'airudder-workflow[{extra}]')",
            name=missing[0],
        )
