"""`airudder.__version__`: the installed distribution's version, so pyproject.toml stays its one source."""

from __future__ import annotations

import platform
from importlib import metadata

DISTRIBUTION = "airudder-workflow"

try:
    __version__ = metadata.version(DISTRIBUTION)
except metadata.PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"

CLIENT_VERSION = f"{DISTRIBUTION}/{__version__} python/{'.'.join(platform.python_version_tuple()[:2])}"
"""What the `X-Client-Version` header says (the User-Agent stays the docs' `Airudder`; see docs/client.md)."""
