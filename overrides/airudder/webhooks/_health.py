"""`/healthz`, `/readyz` and `/metrics` on the receiver's app, outside the secret prefix: a load balancer and a
scraper need no secret, and none of them logs a line per probe.

`/healthz`: the process is up and its event loop answers. `/readyz`: it can take deliveries: the store answers
within READY_TIMEOUT seconds and its schema is the one this code knows (a database migrated by a newer release
makes it fail). Both answer in the project's envelope: 200, or 503 listing each failing part in `data.errors`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import airudder_spec

from ._metrics import Metrics

READY_TIMEOUT = 2.0
"""Seconds the store has to answer a readiness probe: a hung database fails it, it never hangs it."""
Check = Callable[[], Awaitable[str | None]]
"""A readiness check: None when its part is ready, else why not."""


def routes(
    readiness: dict[str, Check], metrics: Metrics, details: dict[str, Callable[[], Any]] | None = None
) -> list[Route]:
    """The probe and scrape routes (GET, and HEAD with them) of a process with these checks and metrics."""

    async def healthz(request: Request) -> Response:
        return JSONResponse(airudder_spec.answer({"status": "up"}))

    async def readyz(request: Request) -> Response:
        problems = [
            {"field": name, "message": why}
            for name, check in readiness.items()
            if (why := await _within(check)) is not None
        ]
        told = {name: await asyncio.to_thread(tell) for name, tell in (details or {}).items()}
        if problems:
            return JSONResponse(airudder_spec.answer({"errors": problems, **told}, 503), status_code=503)
        return JSONResponse(airudder_spec.answer({"status": "ready", "checks": sorted(readiness), **told}))

    async def scrape(request: Request) -> Response:
        body = await asyncio.to_thread(metrics.exposition)
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", scrape, methods=["GET"]),
    ]


def store_check(store: Any, call: Callable[[Callable[[], None]], Awaitable[None]]) -> Check:
    """The store's own `check()` (it answers, its schema is current), where the store has one; `call` runs it off
    the event loop."""

    async def check() -> str | None:
        probe: Callable[[], None] | None = getattr(store, "check", None)
        if probe is None:
            return None  # a store of your own without check(): nothing to ask
        try:
            await call(probe)
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc).strip() or 'no detail'}"
        return None

    return check


async def _within(check: Check) -> str | None:
    try:
        return await asyncio.wait_for(check(), READY_TIMEOUT)
    except TimeoutError:
        return f"no answer within {READY_TIMEOUT:g} s"
