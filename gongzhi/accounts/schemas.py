from ninja import Schema
from pydantic import Field


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(Schema):
    token: str
    expires_at: str


class RoleOut(Schema):
    role: str
    role_label: str
    place_id: int | None
    place_name: str | None
    department_id: int | None
    department_name: str | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[RoleOut]
    resident_id: int | None
