"""The `{data, status, code}` envelope, for answers and for errors (HTTP status equal to `code`)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

from .errors import Problem


def ok(data: Any) -> JSONResponse:
    return JSONResponse({"data": data, "status": "OK", "code": 200})


def error(status: int, problems: list[Problem] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {
        "data": {"errors": problems} if problems else None,
        "status": HTTPStatus(status).phrase,
        "code": status,
    }
    return JSONResponse(body, status_code=status, headers=headers)
