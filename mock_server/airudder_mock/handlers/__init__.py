"""Handlers: what each operation does, once routing and validation have passed. Each handler group is built with
only what it uses (the repository, the simulation, the clock...) and maps operationIds to `Handler`s."""

from __future__ import annotations

from .valid_request import Handler, Noted, ValidRequest

__all__ = ["Handler", "Noted", "ValidRequest"]
