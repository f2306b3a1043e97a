"""The mock clock: real time scaled by `speed`, plus whatever the admin API has advanced it by."""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime

LATEST = datetime(9000, 1, 1, tzinfo=UTC).timestamp()
"""The mock clock stays before this, so every time the simulation derives from it can still be formatted."""
MAX_SPEED = 1_000_000.0


class MockClock:
    """Mock time in seconds since the epoch. `speed=0` stops it: it then moves only when advanced."""

    def __init__(self, start: float | None = None, speed: float = 1.0) -> None:
        check_speed(speed)
        self._lock = threading.Lock()
        self._base = time.time() if start is None else start
        self._real_start = time.monotonic()
        self._speed = speed

    def now(self) -> float:
        with self._lock:
            return self._base + (time.monotonic() - self._real_start) * self._speed

    def advance(self, seconds: float) -> float:
        """Move mock time forward; returns the new time."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("the mock clock only moves forward")
        with self._lock:
            now = self._base + (time.monotonic() - self._real_start) * self._speed
            if now + seconds >= LATEST:
                raise ValueError(f"would move the clock past {iso(LATEST)}")
            self._base += seconds
            return self._base + (time.monotonic() - self._real_start) * self._speed

    def set_speed(self, speed: float) -> None:
        check_speed(speed)
        with self._lock:
            now = self._base + (time.monotonic() - self._real_start) * self._speed
            self._base, self._real_start, self._speed = now, time.monotonic(), speed

    @property
    def speed(self) -> float:
        return self._speed


def check_speed(speed: float) -> None:
    if not (math.isfinite(speed) and 0 <= speed <= MAX_SPEED):
        raise ValueError(f"speed must be a number from 0 to {MAX_SPEED:.0f}")


def iso(ts: float) -> str:
    """AIRudder's list format: `2022-10-09T07:02:40Z`."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local(ts: float) -> str:
    """The WABA page's format: `2024-10-22 10:11:12` (UTC on the mock)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse_time(text: str) -> float:
    """Both formats the docs show: `2022-09-27T07:58:31Z` and `2022-12-12 12:34:56+07:00` (UTC if no zone).

    A time that has no UTC form (`9999-12-31 23:59:59-12:00` is in year 10000) is a ValueError too.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC).timestamp()
    except OverflowError:
        raise ValueError(f"{text!r} is out of range") from None
