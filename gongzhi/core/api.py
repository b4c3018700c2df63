"""Shared API pieces: the paginator every list endpoint uses."""

from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field


class Page(LimitOffsetPagination):
    """``limit``/``offset`` paging answered as ``{"items", "count"}``."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=200)
        offset: int = Field(0, ge=0, le=10_000_000)


class MappedPage:
    """A queryset whose paginated slices come back mapped through ``fn``: only one page is loaded."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def count(self):
        return self.qs.count()

    def __getitem__(self, item):
        return [self.fn(row) for row in self.qs[item]]

    def __len__(self):
        return self.count()
