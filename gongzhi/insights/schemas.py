"""Request bodies of the insights API (surveys, star rating)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class ChoiceIn(Schema):
    value: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=60)
    positive: bool = False


class QuestionIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")
    text: str = Field(min_length=1, max_length=200)
    choices: list[ChoiceIn]


class SurveyIn(Schema):
    place: int
    title: str = Field(min_length=1, max_length=100)
    opens_on: dt.date
    closes_on: dt.date
    template: str = ""
    questions: list[QuestionIn] = []


class SurveyStatusIn(Schema):
    status: str
    published: bool | None = None


class SurveyOut(Schema):
    id: int
    title: str
    place_id: int
    template: str
    status: str
    opens_on: dt.date
    closes_on: dt.date
    published: bool


class ResponseIn(Schema):
    answers: dict[str, str]
    place: int | None = None  # staff: the respondent's grid or building
    resident: int | None = None  # staff: optional, stops a second answer from the same person


class AssessmentIn(Schema):
    community: int
    year: int = Field(ge=2000, le=2100)
    standard: str = "junmen-13335"


class ScoreIn(Schema):
    indicator: str
    evidence: str = Field(max_length=2000)
    value: Decimal | None = None
    triggered: bool = False


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)
