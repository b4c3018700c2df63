import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field


class PlaceOut(Schema):
    id: int
    kind: str
    name: str
    parent_id: int | None
    community_id: int | None
    path: str


class PlaceDetailOut(PlaceOut):
    households: int
    residents: int
    buildings: int
    children: list[PlaceOut]


class ResidentOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date
    age: int
    id_number: str = Field(description="masked, e.g. 350102********1234")
    phone: str = Field(description="masked, e.g. 138****5678")
    household_id: int
    address: str
    relation: str
    tags: list[str]
    age_tags: list[str]
    status: str
    community_id: int


class HouseholdOut(Schema):
    id: int
    building_id: int
    community_id: int
    address: str
    unit_no: str
    room_no: str
    floor_area: Decimal | None
    is_owner_occupied: bool


class HouseholdDetailOut(HouseholdOut):
    members: list[ResidentOut]


class RevealIn(Schema):
    field: Literal["id_number", "phone"]
    reason: str = Field(min_length=2, max_length=500)


class RevealOut(Schema):
    field: str
    value: str
