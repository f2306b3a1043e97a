"""The mock's version: the installed distribution's (airudder-workflow), read from its metadata, so the mock
need not import the client package for it."""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "airudder-workflow"

try:
    __version__ = metadata.version(DISTRIBUTION)
except metadata.PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+unknown"
