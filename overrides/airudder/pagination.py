"""Auto-pagination for every paged operation, driven by the spec's `x-pagination` (not a list per endpoint).

    for task in client.workflows.list(start_time="2024-01-01T00:00:00Z"):   # SyncPage[WorkflowTask]
        ...
    for task in airudder.paginate(list_workflow_tasks, client=client):      # the generated module, items untyped
        ...

`SyncPage`/`AsyncPage` are what a resource's list method returns: lazy, typed with the item model, walked again
from the first page each time they are iterated. `paginate()` and friends take a generated module, and a module
that is not a paged operation is a type error (`PagedEndpoint`).

Lists are newest first, so an item created while you iterate pushes older items one place later: without care,
the item at the end of a page shows up again at the start of the next. Each page's total says how far the list
moved since the page before, and the walk skips what it has already taken (a whole page of it, when many items
arrived); the keys (the spec's `item_key`) of the last two pages catch the rest, so memory stays flat however many
items there are. Items created during the walk are not yielded. (An item deleted meanwhile pulls the others one
place earlier, and one may then be missed: the API has no cursor.)
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, Protocol, Self, TypeVar

from airudder_api import Client as GeneratedClient
from airudder_api.types import Response, Unset

from ._call_options import CallOptions, calling
from ._exceptions import APIError, UnexpectedResponseError, as_httpx, error_for, json_body
from ._operations import OPERATIONS, Operation

REMEMBERED_PAGES = 2
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page: its number, its items (generated models) and the total the server reported."""

    number: int
    items: list[T]
    total: int | None


class PagedEndpoint(Protocol):
    """A generated endpoint module of a paged operation: one whose functions take the page and size parameters.

    Modules satisfy protocols under mypy, so `paginate(create_workflow_task, ...)` is a type error.
    """

    def sync_detailed(
        self, *, client: GeneratedClient, page: int | Unset = ..., size: int | Unset = ...
    ) -> Response[Any]:
        """One page's answer (the generated function)."""

    async def asyncio_detailed(
        self, *, client: GeneratedClient, page: int | Unset = ..., size: int | Unset = ...
    ) -> Response[Any]:
        """One page's answer, asyncio (the generated function)."""


@dataclass
class _Walk:
    """The state of one walk over a paged operation, shared by the sync and async iterators.

    `expected` is where, in the list as the server now has it, the next item not yet taken sits. Each page's
    total says how many items arrived (or went) since the page before; the newest-first list shifted by that
    much, so `expected` moves with it, and a page that now holds only items already taken is skipped. The keys
    of the last two pages catch what the total cannot explain (an insert and a delete in the same interval).
    """

    operation: Operation
    params: dict[str, Any]
    page_size: int | None
    max_items: int | None

    def __post_init__(self) -> None:
        paging = self.operation.pagination
        if paging is None:
            raise ValueError(f"{self.operation.operation_id} is not a paged operation")
        self.paging: dict[str, Any] = paging
        self.size = min(self.page_size or paging["max_size"], paging["max_size"])
        if self.size < 1:
            raise ValueError(f"page_size must be at least 1, not {self.page_size}")
        self.number = 1
        self.expected = 0
        self.total: int | None = None
        self.yielded = 0
        self.seen: deque[set[Any]] = deque(maxlen=REMEMBERED_PAGES)
        self.done = False

    def arguments(self) -> dict[str, Any]:
        return {**self.params, self.paging["page_param"]: self.number, self.paging["size_param"]: self.size}

    def page(self, response: Any) -> Page[Any]:
        """The page a generated `Response` holds (raises the typed error of a failed call)."""
        if response.parsed is None or not _is_success(response):
            raise self.error(response)
        items = _walk(response.parsed, self.paging["items"])
        if items is None or isinstance(items, Unset):
            items = []
        if not isinstance(items, list):
            raise self.error(response, f"the items at {'.'.join(self.paging['items'])} are not a list")
        total = _walk(response.parsed, self.paging["total"])
        page = Page(self.number, items, total if isinstance(total, int) and not isinstance(total, bool) else None)
        start = (self.number - 1) * self.size
        self.number += 1
        self.done = not items or len(items) < self.size or (page.total is not None and start + len(items) >= page.total)
        return page

    def untaken(self, page: Page[Any]) -> list[Any]:
        """The items of `page` past the ones taken before, following the shift its total reveals."""
        start = (page.number - 1) * self.size
        if page.total is not None:
            if self.total is not None:
                self.expected = max(self.expected + page.total - self.total, 0)
            self.total = page.total
        skip = max(self.expected - start, 0)
        if skip >= self.size and not self.done:
            self.number = self.expected // self.size + 1  # the whole page was taken before: go where the rest is
            return []
        self.expected = max(self.expected, start + len(page.items))
        return page.items[skip:] if skip else page.items

    def new_items(self, page: Page[Any]) -> list[Any]:
        """The page's items not yielded before, up to max_items (a list: the page is in memory anyway)."""
        fresh = self.untaken(page)
        key = self.paging.get("item_key")
        if key and page.items:
            identities = list(map(_getter(page.items[0], key), page.items))
            keys = set(identities)
            keys.discard(None)  # an item without a key is never taken for another
            if fresh and not all(keys.isdisjoint(earlier) for earlier in self.seen):
                recent = set().union(*self.seen)
                fresh_keys = identities[len(identities) - len(fresh) :]  # `fresh` is the end of the page
                fresh = [item for item, k in zip(fresh, fresh_keys, strict=True) if k not in recent]
            self.seen.append(keys)
        if self.max_items is not None:
            fresh = fresh[: self.max_items - self.yielded]
            self.done = self.done or self.yielded + len(fresh) >= self.max_items
        self.yielded += len(fresh)
        return fresh

    def error(self, response: Any, why: str | None = None) -> APIError:
        """The typed error of a failed page call, naming the operation."""
        raw = as_httpx(response, self.operation)
        found = None if why else error_for(raw)
        return found or UnexpectedResponseError(
            why or "the page could not be read",
            response=raw,
            code=None,
            operation=self.operation.operation_id,
            body=json_body(raw),
        )


def _operation(endpoint: ModuleType | PagedEndpoint) -> Operation:
    module = getattr(endpoint, "__name__", "")
    try:
        return OPERATIONS[module.rsplit(".", 1)[-1]]
    except KeyError:
        raise ValueError(f"{module or endpoint!r} is not a generated endpoint module") from None


class _Pager(Generic[T]):
    """What the sync and async pagers share: their arguments, a walk, and the first page fetched ahead."""

    def __init__(
        self,
        client: GeneratedClient,
        endpoint: ModuleType | PagedEndpoint,
        params: dict[str, Any],
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        first: Response[Any] | None = None,
        options: CallOptions | None = None,
    ) -> None:
        self._client, self._endpoint, self._params = client, endpoint, params
        self._page_size, self._max_items, self._first = page_size, max_items, first
        self._options = options
        self.operation = _operation(endpoint)

    def _walk(self, max_items: int | None) -> _Walk:
        return _Walk(self.operation, self._params, self._page_size, max_items)

    def starting_with(self, first: Response[Any]) -> Self:
        """This pager, its first page already fetched (`first`): iterating it first time does not fetch it again."""
        return type(self)(
            self._client,
            self._endpoint,
            self._params,
            page_size=self._page_size,
            max_items=self._max_items,
            first=first,
            options=self._options,
        )

    def _prefetched(self, walk: _Walk) -> Response[Any] | None:
        """The first page's answer fetched ahead, once, when the walk is at page 1."""
        first, self._first = (self._first, None) if walk.number == 1 else (None, self._first)
        return first

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.operation.operation_id} {self._params}>"


class SyncPage(_Pager[T]):
    """The items of a paged operation, page after page, lazily: `for item in page:`; `.pages()` for whole pages.

    Each iteration starts again from the first page. Items are yielded once each while the list shifts (see the
    module's note), memory stays flat, and `max_items` stops early. A failed page raises its typed error.
    """

    def first_answer(self) -> Response[Any]:
        """The first page's answer as the generated function returns it (for `with_raw_response`)."""
        return self._endpoint.sync_detailed(client=self._client, **self._walk(None).arguments())

    def _fetch(self, walk: _Walk) -> Page[T]:
        first = self._prefetched(walk)
        if first is None and self._options is not None:
            with calling(self._options):
                first = self._endpoint.sync_detailed(client=self._client, **walk.arguments())
        return walk.page(first or self._endpoint.sync_detailed(client=self._client, **walk.arguments()))

    def __iter__(self) -> Iterator[T]:
        walk = self._walk(self._max_items)
        while not walk.done:
            yield from walk.new_items(self._fetch(walk))

    def pages(self) -> Iterator[Page[T]]:
        """Every page as the server sent it (no item skipped or held back), lazily."""
        walk = self._walk(None)
        while not walk.done:
            yield self._fetch(walk)


class AsyncPage(_Pager[T]):
    """The asyncio twin of SyncPage: `async for item in page:`; `async for p in page.pages():`."""

    async def first_answer(self) -> Response[Any]:
        """The first page's answer as the generated function returns it (for `with_raw_response`)."""
        walk = self._walk(None)
        return await self._endpoint.asyncio_detailed(client=self._client, **walk.arguments())

    async def _fetch(self, walk: _Walk) -> Page[T]:
        first = self._prefetched(walk)
        if first is None and self._options is not None:
            with calling(self._options):
                first = await self._endpoint.asyncio_detailed(client=self._client, **walk.arguments())
        return walk.page(first or await self._endpoint.asyncio_detailed(client=self._client, **walk.arguments()))

    async def __aiter__(self) -> AsyncIterator[T]:
        walk = self._walk(self._max_items)
        while not walk.done:
            for item in walk.new_items(await self._fetch(walk)):
                yield item

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Every page as the server sent it (no item skipped or held back), lazily."""
        walk = self._walk(None)
        while not walk.done:
            yield await self._fetch(walk)


def pages(
    endpoint: PagedEndpoint, *, client: GeneratedClient, page_size: int | None = None, **params: object
) -> Iterator[Page[object]]:
    """Every page of a paged operation, fetched lazily (`endpoint` is the generated module; for typed items, use
    the resource: `client.workflows.list().pages()`)."""
    return SyncPage[object](client, endpoint, params, page_size=page_size).pages()


def paginate(
    endpoint: PagedEndpoint,
    *,
    client: GeneratedClient,
    page_size: int | None = None,
    max_items: int | None = None,
    **params: object,
) -> Iterator[object]:
    """Every item of a paged operation, lazily, each once (see the module's note on concurrent inserts); the items
    are the generated models, typed `object` here (the resource's list method types them)."""
    return iter(SyncPage[object](client, endpoint, params, page_size=page_size, max_items=max_items))


def apages(
    endpoint: PagedEndpoint, *, client: GeneratedClient, page_size: int | None = None, **params: object
) -> AsyncIterator[Page[object]]:
    """The asyncio `pages`: each page of a paged operation, in order, until the last."""
    return AsyncPage[object](client, endpoint, params, page_size=page_size).pages()


def apaginate(
    endpoint: PagedEndpoint,
    *,
    client: GeneratedClient,
    page_size: int | None = None,
    max_items: int | None = None,
    **params: object,
) -> AsyncIterator[object]:
    """The asyncio `paginate`: each item of a paged operation once, at most `max_items`."""
    return aiter(AsyncPage[object](client, endpoint, params, page_size=page_size, max_items=max_items))


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
