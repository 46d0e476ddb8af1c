"""Relay connections with opaque cursors and keyset pagination.

A page is `first`/`after` (forwards) or `last`/`before` (backwards), at most
`MAX_PAGE_SIZE` items. Sorting is by model fields (or annotations) ending with a
unique one (the primary key); a cursor is the sort values of its row, encoded, and the
next page is everything strictly after it in the sort order. Cursors are opaque to
clients and stay valid while rows are added or removed.
"""

from __future__ import annotations

import base64
import binascii
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cached_property, reduce

import graphene
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, OrderBy, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from graphql import GraphQLError

from .dataloaders import DataLoader, set_peers

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PaginationError(GraphQLError):
    def __init__(self, message: str):
        super().__init__(message, extensions={"code": "INVALID_PAGINATION"})


class CountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(required=True, description="Number of items matching the arguments, over all pages.")

    class Meta:
        abstract = True

    @staticmethod
    def resolve_total_count(root, info):
        return root.total_count


def connection_args(**extra) -> dict:
    """The paging arguments of a connection field (plus `extra` arguments)."""
    return {
        "first": graphene.Int(description=f"Items from the start or after `after` (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})."),
        "after": graphene.String(description="Cursor of the item to continue after."),
        "last": graphene.Int(description=f"Items from the end or before `before` (at most {MAX_PAGE_SIZE})."),
        "before": graphene.String(description="Cursor of the item to continue before."),
        **extra,
    }


class ConnectionSlice:
    """What a connection field resolves to. The page and the total count are fetched
    when a field asks for them: `{ totalCount }` alone costs one count query."""

    def __init__(self, connection_type, fetch_page: Callable[[], tuple[list, list[str], graphene.relay.PageInfo]], count: Callable[[], int]):
        self._connection_type = connection_type
        self._fetch_page = fetch_page
        self._count = count

    @cached_property
    def _page(self):
        return self._fetch_page()

    @cached_property
    def edges(self) -> list:
        nodes, cursors, _ = self._page
        return [_Edge(node, cursors, at) for at, node in enumerate(nodes)]

    @property
    def page_info(self) -> graphene.relay.PageInfo:
        return self._page[2]

    @cached_property
    def total_count(self) -> int:
        return self._count()


class _Edge:
    """An edge of a page (what the connection's `Edge` type resolves from): its node, and
    its cursor, encoded only when a client asks for it (most ask for `endCursor` alone)."""

    __slots__ = ("node", "_cursors", "_at")

    def __init__(self, node, cursors: Sequence[str], at: int):
        self.node = node
        self._cursors = cursors
        self._at = at

    @property
    def cursor(self) -> str:
        return self._cursors[self._at]


class _RowCursors(Sequence):
    """The cursors of a page's rows, each encoded when read."""

    def __init__(self, rows: list, sort_by: Sequence[str]):
        self._rows = rows
        self._sort_by = sort_by

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [_cursor_of(row, self._sort_by) for row in self._rows[at]]
        return _cursor_of(self._rows[at], self._sort_by)


def encode_cursor(values: Sequence) -> str:
    raw = json.dumps(list(values), cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != length:
        raise PaginationError("The cursor is not valid for this connection and sort order.")
    return values


def page_size(first: int | None, last: int | None) -> tuple[int, bool]:
    """(size, backwards) from the paging arguments."""
    if first is not None and last is not None:
        raise PaginationError("Give either `first` or `last`, not both.")
    size = last if last is not None else first
    if size is None:
        return DEFAULT_PAGE_SIZE, False
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise PaginationError(f"`{'last' if last is not None else 'first'}` must be between 1 and {MAX_PAGE_SIZE}.")
    return size, last is not None


def _keyset_filter(sort_by: Sequence[str], values: Sequence) -> Q:
    """Rows strictly after `values` in the order `sort_by` (`-field` is descending)."""
    steps = []
    for i, key in enumerate(sort_by):
        field = key.lstrip("-")
        step = Q(**{f"{field}__lt" if key.startswith("-") else f"{field}__gt": values[i]})
        for previous, value in zip(sort_by[:i], values[:i]):
            step &= Q(**{previous.lstrip("-"): value})
        steps.append(step)
    return reduce(operator.or_, steps)


def _reverse(sort_by: Sequence[str]) -> list[str]:
    return [key[1:] if key.startswith("-") else f"-{key}" for key in sort_by]


def _cursor_of(row, sort_by: Sequence[str]) -> str:
    return encode_cursor([getattr(row, key.lstrip("-")) for key in sort_by])


def paginate(
    queryset: QuerySet,
    connection_type,
    *,
    sort_by: Sequence[str],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    count: Callable[[], int] | None = None,
    wrap: Callable[[list], list] | None = None,
) -> ConnectionSlice:
    """One page of `queryset` in the order `sort_by` (which must end with a unique field)."""
    size, backwards = page_size(first, last)
    order = _reverse(sort_by) if backwards else list(sort_by)
    cursor = before if backwards else after
    rows = queryset.order_by(*order)
    if cursor:
        rows = rows.filter(_keyset_filter(order, decode_cursor(cursor, len(sort_by))))
    return slice_from_rows(
        connection_type,
        lambda: set_peers(rows[: size + 1]),
        size=size,
        sort_by=sort_by,
        backwards=backwards,
        continues_from_cursor=bool(cursor),
        count=count or queryset.count,
        wrap=wrap,
    )


def slice_from_rows(
    connection_type,
    fetch_rows: Callable[[], list],
    *,
    size: int,
    sort_by: Sequence[str],
    count: Callable[[], int],
    backwards: bool = False,
    continues_from_cursor: bool = False,
    wrap: Callable[[list], list] | None = None,
) -> ConnectionSlice:
    """A page from `fetch_rows()`: up to `size + 1` rows in page order (one extra tells
    that more rows follow), called only when edges or page info are asked for. `wrap`
    turns the rows into what the edges' nodes resolve from."""

    def fetch_page():
        rows = fetch_rows()
        has_more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        cursors = _RowCursors(rows, sort_by)
        page_info = graphene.relay.PageInfo(
            has_next_page=continues_from_cursor if backwards else has_more,
            has_previous_page=has_more if backwards else continues_from_cursor,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )
        return (wrap(rows) if wrap else rows), cursors, page_info

    return ConnectionSlice(connection_type, fetch_page, count)


class FirstPageByParentLoader(DataLoader):
    """The first `size + 1` rows of a nested connection per parent, for all peers of the
    parent in one query (args: size). Subclasses set `parent_field` and `sort_by` and
    implement `queryset()`. Pages after a cursor are fetched per parent (`paginate`)."""

    parent_field: str
    sort_by: Sequence[str]

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def batch_load(self, keys):
        (size,) = self.args
        order = [OrderBy(F(key.lstrip("-")), descending=key.startswith("-")) for key in self.sort_by]
        rows = (
            self.queryset()
            .filter(**{f"{self.parent_field}__in": keys})
            .annotate(_page_row=Window(RowNumber(), partition_by=[F(self.parent_field)], order_by=order))
            .filter(_page_row__lte=size + 1)
            .order_by(self.parent_field, *self.sort_by)
        )
        pages = defaultdict(list)
        for row in rows:
            pages[getattr(row, self.parent_field)].append(row)
        return pages

    def missing(self, key):
        return []


class CountByParentLoader(DataLoader):
    """The number of rows per parent (`totalCount` of a nested connection)."""

    parent_field: str

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def batch_load(self, keys):
        rows = self.queryset().filter(**{f"{self.parent_field}__in": keys}).order_by().values(self.parent_field).annotate(n=Count("pk"))
        return {row[self.parent_field]: row["n"] for row in rows}

    def missing(self, key):
        return 0


def nested_page(
    info,
    root,
    queryset: QuerySet,
    connection_type,
    *,
    sort_by: Sequence[str],
    first_page_loader: type[FirstPageByParentLoader],
    count_loader: type[CountByParentLoader],
    page: dict,
    batched: bool = True,
    wrap: Callable[[list], list] | None = None,
) -> ConnectionSlice:
    """A nested connection (e.g. a partner's customers): the first page of every parent
    in a list comes from one query, the counts from another. A page after a cursor, a
    backwards page or a filtered one (`batched=False`) is a query of its own."""
    if not batched or page.get("after") or page.get("before") or page.get("last") is not None:
        return paginate(queryset, connection_type, sort_by=sort_by, wrap=wrap, **page)
    size, _ = page_size(page.get("first"), None)
    return slice_from_rows(
        connection_type,
        lambda: first_page_loader(info.context, size).load_for(root, lambda parent: parent.pk),
        size=size,
        sort_by=sort_by,
        count=lambda: count_loader(info.context).load_for(root, lambda parent: parent.pk),
        wrap=wrap,
    )
