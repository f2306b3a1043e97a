"""Validation: requests checked against the schemas of the spec they belong to (AIRudder's or the admin API's)."""

from __future__ import annotations

from .request import RequestValidator
from .storable import storage_problems, unstorable
from .strict_json import parse_json

__all__ = ["RequestValidator", "parse_json", "storage_problems", "unstorable"]
