"""A change between two versions of the spec, and who it breaks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Impact = Literal["callers", "webhook handlers", "compatible", "provenance"]
Section = Literal["Added", "Changed", "Removed"]


@dataclass(frozen=True, order=True)
class Change:
    impact: Impact
    kind: str
    """The rule that found it: operation, parameter, request body, answer, webhook, webhook payload, enum,
    provenance."""
    where: str
    """What changed, as a user names it (`POST /service/cloud/auth`, `webhook call_completed`), with the field."""
    text: str
    section: Section = "Changed"

    @property
    def breaking(self) -> bool:
        return self.impact in ("callers", "webhook handlers")

    def line(self) -> str:
        label = {"callers": "**Breaking for callers:** ", "webhook handlers": "**Breaking for webhook handlers:** "}
        return f"- {label.get(self.impact, '')}{self.where}: {self.text}"
