import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class ServiceItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    materials: list[str]
    time_limit_days: int
    channel: str
    fee_fen: int
    department: str
    on_admission_catalog: bool


class ApplicationIn(Schema):
    item: str = Field(description="catalogue item code, e.g. C01-01")
    resident_id: int
    channel: Literal["online", "counter"] = "online"
    note: str = Field("", max_length=1000)


class ApplicationActionIn(Schema):
    note: str = Field("", max_length=1000)
    missing: list[str] = Field(default_factory=list, max_length=30)


class ApplicationEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    created_at: dt.datetime


class ApplicationOut(Schema):
    id: int
    number: str
    item: str
    item_name: str
    resident_id: int
    resident_name: str
    channel: str
    status: str
    due_on: dt.date | None
    trips: int
    at_most_one_trip: bool
    missing_materials: list[str]
    result_note: str
    available_actions: list[str]


class ApplicationDetailOut(ApplicationOut):
    events: list[ApplicationEventOut]


class CertificateIn(Schema):
    resident_id: int
    kind: Literal["residence", "family_relation"] = "residence"
    purpose: str = Field(min_length=2, max_length=100)
    application_id: int | None = None


class CertificateOut(Schema):
    id: int
    number: str
    kind: str
    verification_code: str
    resident_id: int
    purpose: str
    issued_at: dt.datetime
    valid_until: dt.date | None
    revoked: bool
    pdf_url: str
    verify_url: str


class RevokeIn(Schema):
    reason: str = Field(min_length=2, max_length=200)


class LowIncomeIn(Schema):
    household_id: int
    incomes_fen: dict[int, int] = Field(description="monthly income in fen per resident id")
    assets_fen: int = Field(0, ge=0)
    apply: bool = False


class LowIncomeOut(Schema):
    id: int
    members: int
    monthly_income_fen: int
    per_capita_fen: int
    line_fen: int
    asset_limit_fen: int
    below_line: bool
    within_asset_limit: bool
    application_id: int | None


class TaskIn(Schema):
    community_id: int
    title: str = Field(min_length=1, max_length=200)
    sender: str = Field(min_length=1, max_length=100)
    item: str | None = None
    purchase_budget_fen: int = Field(0, ge=0)


class TaskOut(Schema):
    id: int
    decision: str
    reason: str
    budget_fen: int
