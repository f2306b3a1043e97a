"""Routing: the routes of AIRudder's operations and of the admin API, each a validate -> handle -> envelope
pipeline (`pipeline.endpoint`)."""

from __future__ import annotations

from .admin import admin_routes, admin_spec, admin_spec_path
from .admin import validator_at as admin_validator_at
from .operations import operation_routes
from .pipeline import http_error

__all__ = ["admin_routes", "admin_spec", "admin_spec_path", "admin_validator_at", "http_error", "operation_routes"]
