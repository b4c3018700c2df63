import datetime as dt

from ninja import Schema
from pydantic import Field

from gongzhi.core.api import ObjectId

from .enums import Funding, ServiceCategory, TeamKind, WishCategory

Key = Field("", max_length=100, pattern=r"^[A-Za-z0-9_.:-]*$")


class TeamIn(Schema):
    community: ObjectId
    kind: TeamKind
    name: str = Field(min_length=2, max_length=100)
    description: str = Field("", max_length=2000)


class TeamOut(Schema):
    id: int
    community_id: int
    kind: str
    name: str
    description: str
    member_count: int
    is_active: bool


class VolunteerIn(Schema):
    resident: ObjectId | None = Field(None, description="staff register a resident; default: yourself")
    skills: str = Field("", max_length=200)
    teams: list[ObjectId] = Field(default_factory=list, max_length=20)


class VolunteerOut(Schema):
    id: int
    resident_id: int
    name: str
    community_id: int
    skills: str
    teams: list[str]
    registered_on: dt.date
    is_active: bool


class ActivityIn(Schema):
    community: ObjectId
    team: ObjectId | None = None
    title: str = Field(min_length=2, max_length=100)
    description: str = Field("", max_length=2000)
    location: str = Field("", max_length=100)
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int = Field(ge=1, le=1000)


class ActivityOut(Schema):
    id: int
    community_id: int
    team_id: int | None
    title: str
    description: str
    location: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    signed_up: int
    status: str


class SignupOut(Schema):
    id: int
    activity_id: int
    volunteer_id: int
    volunteer: str
    status: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    record_id: int | None
    minutes: int | None


class AtIn(Schema):
    at: dt.datetime | None = Field(None, description="default: now")


class RecordOut(Schema):
    id: int
    volunteer_id: int
    volunteer: str
    served: str | None
    description: str
    served_on: dt.date
    minutes: int
    status: str
    payment_id: int | None
    note: str


class NoteIn(Schema):
    note: str = Field("", max_length=200)


class RequestIn(Schema):
    requester: ObjectId | None = Field(None, description="the resident to be served; default: yourself")
    category: ServiceCategory
    description: str = Field(min_length=2, max_length=2000)
    wanted_at: dt.datetime | None = None
    funding: Funding = Funding.COMMUNITY


class RequestOut(Schema):
    id: int
    community_id: int
    requester_id: int
    requester: str = Field(description="masked unless you are staff, the requester or their proxy")
    category: str
    description: str
    wanted_at: dt.datetime | None
    funding: str
    status: str
    volunteer_id: int | None
    record_id: int | None
    created_at: dt.datetime


class MatchIn(Schema):
    volunteer: ObjectId | None = Field(None, description="staff choose; default: yourself as the volunteer")


class CompleteIn(Schema):
    minutes: int = Field(ge=1, le=720)
    note: str = Field("", max_length=200)
    served_on: dt.date | None = None


class TransferIn(Schema):
    from_resident: ObjectId | None = Field(None, description="an elder you act for; default: yourself")
    to_resident: ObjectId
    minutes: int = Field(ge=1, le=100_000)
    memo: str = Field("", max_length=200)
    idempotency_key: str = Key


class TransferOut(Schema):
    transaction_id: int
    minutes: int
    balance: int
    warnings: list[str]


class WishIn(Schema):
    beneficiary: ObjectId | None = Field(None, description="staff post for a resident; default: yourself")
    title: str = Field(min_length=2, max_length=100)
    description: str = Field("", max_length=2000)
    category: WishCategory = WishCategory.GOODS


class WishOut(Schema):
    id: int
    community_id: int
    beneficiary: str
    title: str
    description: str
    category: str
    status: str
    claimer: str
    created_at: dt.datetime
    fulfilment_note: str


class CertificateOut(Schema):
    volunteer_id: int
    name: str
    community: str
    registered_on: dt.date
    year: int | None
    minutes: int
    hours: float
    records: int
    first_day: dt.date | None
    last_day: dt.date | None
    serial: str
    teams: list[str]


class HoursCertificateIn(Schema):
    year: int | None = Field(None, description="one year's confirmed hours; empty: all confirmed hours")


class HoursCertificateOut(Schema):
    id: int
    number: str
    verification_code: str
    volunteer_id: int
    year: int | None
    minutes: int
    hours: str
    records: int
    issued_at: dt.datetime
    pdf_url: str
    verify_url: str


class HoursCheckOut(Schema):
    status: str = Field(description="valid, or unknown (never issued: forged or mistyped)")
    number: str | None
    content: dict | None = Field(description="masked name, community, year, minutes, hours, records, issued_on")
    hours_unchanged: bool | None = Field(description="false when hours were confirmed or changed since issue")
