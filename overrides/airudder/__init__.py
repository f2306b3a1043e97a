"""airudder: the hand-written layer over the generated AIRudder Workflow client (`airudder_api`)."""

from __future__ import annotations

__all__: list[str] = []
