"""The mock's data layer: the only place with SQL. Everything else gets and gives typed records (`records`)."""

from __future__ import annotations

from .access import AccessRows
from .contacts import ContactRows
from .queue import QueueRows
from .store import Store
from .workflows import WorkflowRows


class Repository(WorkflowRows, ContactRows, QueueRows, AccessRows):
    """The mock's state in SQLite (in memory, or the `--db` file).

    One connection shared by the server's threads; `transaction()` makes what runs inside it one atomic step
    (transactions opened inside it join it), so the simulation and requests never interleave.
    """

    def __init__(self, path: str | None) -> None:
        self.store = Store(path)
        self.transaction = self.store.transaction
        self.lock = self.store.lock

    def close(self) -> None:
        self.store.close()


__all__ = ["Repository"]
