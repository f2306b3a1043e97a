"""What every test gets: the logging set-up as it was before the test.

Some tests run our commands in-process (click's `main([...])`), and a command sets up logging for the whole
process as a command should (`airudder-mock` stops its loggers propagating to the root, a receiver replaces the
root's handlers). Without this, a later test that reads log records (`caplog`) sees none, depending on the order
the tests ran in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

Snapshot = tuple[int, bool, bool, list[logging.Handler]]


def _own_handlers(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers that are not pytest's own (those pytest adds and removes around each phase by itself)."""
    return [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]


def _loggers() -> dict[str, logging.Logger]:
    found = {name: v for name, v in logging.root.manager.loggerDict.items() if isinstance(v, logging.Logger)}
    return {"": logging.getLogger(), **found}


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    before: dict[str, Snapshot] = {
        name: (log.level, log.propagate, log.disabled, _own_handlers(log)) for name, log in _loggers().items()
    }
    yield
    for name, log in _loggers().items():
        level, propagate, disabled, handlers = before.get(name, (logging.NOTSET, True, False, []))
        pytest_handlers = [h for h in log.handlers if h not in _own_handlers(log)]
        log.setLevel(level)
        log.propagate, log.disabled = propagate, disabled
        log.handlers[:] = pytest_handlers + handlers
