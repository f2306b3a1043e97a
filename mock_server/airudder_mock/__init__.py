"""airudder_mock: a stateful local AIRudder Workflow API for development and tests, driven by the spec.

Needs `airudder-workflow[mock]`. Importing this package is light (its pytest plugin loads into every pytest run
of a project that installs airudder-workflow); `MockServer` and `running_mock` import the server stack on first
use and say which extra to install when it is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import MockConfig

if TYPE_CHECKING:
    from .server import MockServer, running_mock

__all__ = ["MockConfig", "MockServer", "__version__", "running_mock"]


def __getattr__(name: str) -> Any:
    """`MockServer` and `running_mock`, imported when first used; `__version__`, the package's (airudder's)."""
    if name == "__version__":
        from airudder import __version__

        return __version__
    if name not in ("MockServer", "running_mock"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from airudder.extras import require

    require("mock", f"airudder_mock.{name}")
    from . import server

    return getattr(server, name)
