"""Auto-pagination for every paged operation, driven by the spec's `x-pagination` (not a list per endpoint).

    for task in airudder.paginate(list_workflow_tasks, client=client, start_time="2024-01-01T00:00:00Z"):
        ...

Lists are newest first, so an item created while you iterate pushes older items one place later: the item at
the end of a page shows up again at the start of the next. Items are keyed by the spec's `item_key`, and a key
seen in the last two pages is not yielded again, so memory stays flat however many items there are. (An item
deleted meanwhile pulls the others one place earlier, and one may then be missed: the API has no cursor.)
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from . import _spec
from ._exceptions import UnexpectedResponseError, error_for

REMEMBERED_PAGES = 2


@dataclass(frozen=True)
class Page:
    """One page: its number, its items (generated models) and the total the server reported."""

    number: int
    items: list[Any]
    total: int | None


@dataclass
class _Walk:
    """The state of one walk over a paged operation, shared by the sync and async iterators."""

    operation: _spec.Operation
    params: dict[str, Any]
    page_size: int | None
    max_items: int | None

    def __post_init__(self) -> None:
        paging = self.operation.pagination
        if paging is None:
            raise ValueError(f"{self.operation.operation_id} is not a paged operation")
        self.paging: dict[str, Any] = paging
        self.size = min(self.page_size or paging["max_size"], paging["max_size"])
        self.number = 1
        self.yielded = 0
        self.seen: deque[set[Any]] = deque(maxlen=REMEMBERED_PAGES)
        self.done = False

    def arguments(self) -> dict[str, Any]:
        return {**self.params, self.paging["page_param"]: self.number, self.paging["size_param"]: self.size}

    def page(self, response: Any) -> Page:
        """The page a generated `Response` holds (raises the typed error of a failed call)."""
        if response.parsed is None or not _is_success(response):
            raise _error(response)
        items: list[Any] = _walk(response.parsed, self.paging["items"])
        total = _walk(response.parsed, self.paging["total"])
        page = Page(self.number, items, total if isinstance(total, int) else None)
        self.number += 1
        fetched_all = total is not None and (self.number - 1) * self.size >= total
        self.done = not items or len(items) < self.size or fetched_all
        return page

    def new_items(self, page: Page) -> list[Any]:
        """The page's items not yielded before, up to max_items (a list: the page is in memory anyway)."""
        fresh = page.items
        key = self.paging.get("item_key")
        if key and page.items:
            identity = _getter(page.items[0], key)
            recent = set().union(*self.seen)
            identities = list(map(identity, page.items))
            fresh = [item for item, i in zip(page.items, identities, strict=True) if i not in recent]
            self.seen.append(set(identities) - {None})  # an item without a key is never taken for another
        if self.max_items is not None:
            fresh = fresh[: self.max_items - self.yielded]
            self.done = self.done or self.yielded + len(fresh) >= self.max_items
        self.yielded += len(fresh)
        return fresh


def _operation(endpoint: ModuleType) -> _spec.Operation:
    name = endpoint.__name__.rsplit(".", 1)[-1]
    try:
        return _spec.operations()[name]
    except KeyError:
        raise ValueError(f"{endpoint.__name__} is not a generated endpoint module") from None


def pages(endpoint: ModuleType, *, client: Any, page_size: int | None = None, **params: Any) -> Iterator[Page]:
    """Every page of a paged operation, fetched lazily (`endpoint` is the generated module)."""
    walk = _Walk(_operation(endpoint), params, page_size, None)
    while not walk.done:
        yield walk.page(endpoint.sync_detailed(client=client, **walk.arguments()))


def paginate(
    endpoint: ModuleType, *, client: Any, page_size: int | None = None, max_items: int | None = None, **params: Any
) -> Iterator[Any]:
    """Every item of a paged operation, lazily, each once (see the module's note on concurrent inserts)."""
    walk = _Walk(_operation(endpoint), params, page_size, max_items)
    while not walk.done:
        yield from walk.new_items(walk.page(endpoint.sync_detailed(client=client, **walk.arguments())))


async def apages(
    endpoint: ModuleType, *, client: Any, page_size: int | None = None, **params: Any
) -> AsyncIterator[Page]:
    walk = _Walk(_operation(endpoint), params, page_size, None)
    while not walk.done:
        yield walk.page(await endpoint.asyncio_detailed(client=client, **walk.arguments()))


async def apaginate(
    endpoint: ModuleType, *, client: Any, page_size: int | None = None, max_items: int | None = None, **params: Any
) -> AsyncIterator[Any]:
    walk = _Walk(_operation(endpoint), params, page_size, max_items)
    while not walk.done:
        for item in walk.new_items(walk.page(await endpoint.asyncio_detailed(client=client, **walk.arguments()))):
            yield item


_MISSING = object()


def _getter(model: Any, key: str) -> Callable[[Any], Any]:
    """A fast reader of the field `key` (its JSON name) of models shaped like `model`."""
    for name in (key, f"{key}_"):
        if hasattr(model, name):
            return operator.attrgetter(name)
    return lambda m: _attribute(m, key)


def _attribute(model: Any, key: str) -> Any:
    """A generated model's field by its JSON name (`list` is the attribute `list_`; unknown ones are extras)."""
    value = getattr(model, key, _MISSING)
    if value is _MISSING:
        value = getattr(model, f"{key}_", _MISSING)
    if value is _MISSING:
        extras = getattr(model, "additional_properties", {})
        value = extras.get(key)
    return value


def _walk(model: Any, path: list[str]) -> Any:
    for key in path:
        model = _attribute(model, key)
    return model


def _is_success(response: Any) -> bool:
    return 200 <= int(response.status_code) < 300 and getattr(response.parsed, "code", 200) == 200


def _error(response: Any) -> Exception:
    import httpx

    raw = httpx.Response(
        int(response.status_code), content=response.content, request=httpx.Request("GET", "/paged-operation")
    )
    return error_for(raw) or UnexpectedResponseError(
        "the page could not be read", response=raw, code=None, operation=None, body=None
    )
