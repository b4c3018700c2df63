"""Schemas of the triage API."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from gongzhi.core.api import CleanText, ObjectId


class ClassifyIn(Schema):
    text: CleanText = Field(min_length=1, max_length=2000)


class GuessOut(Schema):
    category: str
    confidence: float
    subcategory: str
    subcategory_name: str
    subcategory_confidence: float
    tier: str
    handler: str
    item: str


class ClassifyOut(Schema):
    model: str
    category: str  # "" when the model abstains
    confidence: float
    abstained: bool
    threshold: float
    terms: list[str]
    top: list[GuessOut]


class DuplicatesIn(Schema):
    """A text about to be filed: where (a place, or just the community) and what."""

    text: CleanText = Field(min_length=1, max_length=2000)
    place_id: ObjectId | None = None
    community_id: ObjectId | None = None


class DuplicateOut(Schema):
    id: int
    score: float
    text_similarity: float  # cosine in a TF-IDF space fitted on the compared cases
    matter_similarity: float
    place: str  # same_place · within · same_estate · same_grid · same_community
    days_apart: float
    status: str
    category: str
    created_at: dt.datetime
    text: str  # redacted excerpt


class DuplicatesOut(Schema):
    items: list[DuplicateOut]
    threshold: float
    window_days: int


class ExampleOut(Schema):
    id: int
    text: str
    status: str
    created_at: dt.datetime


class ProblemOut(Schema):
    rank: int
    label: str
    category: str
    subcategory: str
    terms: list[str]
    count: int
    share: float
    previous: int
    change: int
    change_pct: float | None
    examples: list[ExampleOut]


class UnitOut(Schema):
    id: int
    name: str
    path: str


class TopProblemsOut(Schema):
    unit: UnitOut
    period: str
    previous_period: str
    total: int
    previous_total: int
    problems: list[ProblemOut]


class ModelOut(Schema):
    id: int
    name: str
    version: int
    active: bool
    created_at: dt.datetime
    labels: list[str]
    metrics: dict
    data_summary: dict
    note: str
