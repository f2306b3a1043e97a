"""AIRudder's answer envelope, `{data, status, code}`: what the API answers and what its webhooks expect back.

An error carries its HTTP status as `code` and lists the fields at fault as `data.errors: [{field, message}]`.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

Problem = dict[str, str]
"""One field at fault: `{"field": "body.end_time", "message": "is required"}`."""


def answer(data: Any, code: int = 200, status: str | None = None) -> dict[str, Any]:
    """The envelope of an answer; `status` is the code's reason phrase unless given."""
    return {"data": data, "status": status or HTTPStatus(code).phrase, "code": code}


def error(code: int, problems: list[Problem] | None = None, status: str | None = None) -> dict[str, Any]:
    """The envelope of an error answer, naming the fields at fault (if any).

    A field or message that quotes a lone surrogate from the request (`{"\\ud800": 1}`) has it written out as
    `\\ud800`: an answer must be valid UTF-8 whatever the request held.
    """
    shown = [{key: _text(value) for key, value in problem.items()} for problem in problems or []]
    return answer({"errors": shown} if shown else None, code, status)


def _text(value: str) -> str:
    return value if value.isascii() else value.encode("utf-8", "backslashreplace").decode("utf-8")
