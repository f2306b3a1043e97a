"""The `{data, status, code}` envelope (airudder_spec's) as starlette responses, HTTP status equal to `code`."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

import airudder_spec
from airudder_spec import Problem


def ok(data: Any, note: str | None = None) -> JSONResponse:
    """A success; `note` (the admin API's) says why a valid request changed less than it asked."""
    answer = airudder_spec.answer(data)
    return JSONResponse({**answer, "note": note} if note else answer)


def error(status: int, problems: list[Problem] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(airudder_spec.error(status, problems), status_code=status, headers=headers)
