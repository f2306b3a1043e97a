"""Delivery: webhooks queued by the simulation are POSTed to their targets and retried like AIRudder does."""

from __future__ import annotations

from .deliveries import ANY_KIND, KIND_PLACEHOLDER, USER_AGENT, Deliveries, signature, target_for

__all__ = ["ANY_KIND", "KIND_PLACEHOLDER", "USER_AGENT", "Deliveries", "signature", "target_for"]
