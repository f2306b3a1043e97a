"""Validation: requests checked against the schemas of the spec they belong to (AIRudder's or the admin API's)."""

from __future__ import annotations

from .request import Parameter, RequestValidator

__all__ = ["Parameter", "RequestValidator"]
