"""The exceptions the airudder package raises; every one of them is an AIRudderError."""

from __future__ import annotations


class AIRudderError(Exception):
    """Base class of every error raised by the airudder package."""
