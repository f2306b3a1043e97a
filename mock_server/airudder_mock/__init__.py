"""airudder_mock: a stateful local AIRudder Workflow API for development and tests, driven by the spec."""

from __future__ import annotations

from .config import MockConfig
from .server import MockServer, running_mock

__all__ = ["MockConfig", "MockServer", "running_mock"]
