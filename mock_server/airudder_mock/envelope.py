"""The `{data, status, code}` envelope, for answers and for errors (HTTP status equal to `code`)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

import airudder_spec
from airudder_spec import Problem


def ok(data: Any) -> JSONResponse:
    return JSONResponse(airudder_spec.answer(data))


def error(status: int, problems: list[Problem] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(airudder_spec.error(status, problems), status_code=status, headers=headers)


class Failure(Exception):
    """An answer other than success, raised from a handler: a status and the fields at fault."""

    def __init__(self, status: int, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.status, self.problems = status, [{"field": field, "message": message}]
