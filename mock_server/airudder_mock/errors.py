"""The one exception for "the request is at fault": an HTTP status and the fields at fault.

Raised by the validator and the handlers alike; the router answers it in the error envelope.
"""

from __future__ import annotations

__all__ = ["CLIENT_GONE", "BadInput", "Problem"]

from airudder_spec import Problem

CLIENT_GONE = 499
"""The status the pipeline gives a request whose client went away before the answer (it reaches no one)."""


class BadInput(Exception):
    def __init__(self, field: str, message: str, status: int = 400) -> None:
        self.status, self.problems = status, [{"field": field, "message": message}]
        super().__init__(f"{field}: {message}")

    @classmethod
    def of(cls, problems: list[Problem], status: int = 400) -> BadInput:
        """Several fields at fault at once (every schema violation of a request)."""
        error = cls(problems[0]["field"], problems[0]["message"], status)
        error.problems = problems
        error.args = ("; ".join(f"{p['field']}: {p['message']}" for p in problems),)
        return error
