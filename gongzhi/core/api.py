"""Shared API pieces: the paginator every list endpoint uses, and the types that keep bad input a 422."""

import unicodedata
from typing import Annotated, Any

from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, Field

# Largest value a database id column holds (signed 64-bit). A larger number in a query filter would make
# SQLite raise OverflowError (a 500) instead of finding nothing.
ID_MAX = 2**63 - 1


def _no_control_characters(value: str) -> str:
    # PostgreSQL refuses NUL in text, and no search term needs control characters.
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise ValueError("control characters are not allowed")
    return value


ObjectId = Annotated[int, Field(ge=1, le=ID_MAX)]
"""A database id in a query parameter or body: out of range is a 422 naming the field."""

CleanText = Annotated[str, AfterValidator(_no_control_characters)]
"""Free text from a query string: control characters are a 422 naming the field."""


class Page(LimitOffsetPagination):
    """``limit``/``offset`` paging answered as ``{"items", "count"}``."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=200)
        offset: int = Field(0, ge=0, le=10_000_000)


class CappedPage(Page):
    """``Page`` for lists whose count stops at a cap: ``{"items", "count", "count_exact"}``.

    The queryset (or MappedPage) says whether its count is exact through a ``count_exact`` attribute, read
    after counting; ``count_exact`` false means "at least ``count``".
    """

    class Output(Schema):
        items: list[Any]
        count: int
        count_exact: bool = True

    def paginate_queryset(self, queryset, pagination, request, **params):
        answer = super().paginate_queryset(queryset, pagination, request, **params)
        answer["count_exact"] = bool(getattr(queryset, "count_exact", True))
        return answer


class MappedPage:
    """A queryset whose paginated slices come back mapped through ``fn``: only one page is loaded."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def count(self):
        return self.qs.count()

    @property
    def count_exact(self) -> bool:
        return getattr(self.qs, "count_exact", True)

    def __getitem__(self, item):
        return [self.fn(row) for row in self.qs[item]]

    def __len__(self):
        return self.count()
