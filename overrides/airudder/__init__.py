"""airudder: the hand-written layer over the generated AIRudder Workflow client (`airudder_api`)."""

from __future__ import annotations

from ._exceptions import AIRudderError

__all__ = ["AIRudderError"]
