"""Times as the API takes them: a `datetime` becomes the docs' format, `2022-12-12 12:34:56+07:00`.

Every time parameter and field of a resource method (the spec's `x-sdk-datetime` schemas) takes an aware
`datetime` or a string; a string is sent unchanged, an aware datetime in the docs' format (to the second, its own
offset kept), and a naive one is refused: AIRudder would read it in a zone nobody chose.
"""

from __future__ import annotations

import datetime
from typing import TypeVar

T = TypeVar("T")


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone, given where the API takes a time (naming the operation and the field)."""


def doc_time(value: datetime.datetime | T, operation: str, field: str) -> str | T:
    """`value` in the docs' format when it is a datetime; anything else (a string, UNSET) as it is."""
    if not isinstance(value, datetime.datetime):
        return value
    if value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{operation}: {field}: {value.isoformat(sep=' ')} has no time zone; give an aware datetime "
            "(tzinfo=datetime.timezone.utc, zoneinfo.ZoneInfo('Asia/Jakarta'), ...) or a string with its offset"
        )
    return value.isoformat(sep=" ", timespec="seconds")
