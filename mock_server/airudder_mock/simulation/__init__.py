"""The simulation: workflows run on the mock clock as a queue of timed events (`events.EVENTS`), and every step
queues the webhooks AIRudder would send (`payloads`)."""

from __future__ import annotations

from .engine import NotRunning, Simulation

__all__ = ["NotRunning", "Simulation"]
