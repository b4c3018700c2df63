"""API shapes of the appeals app."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from .enums import Channel, Rating, Tier


class AppealIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    place_id: int | None = None
    community_id: int | None = None
    channel: Channel = Channel.PORTAL
    contact: str = Field("", max_length=30, description="phone number, kept encrypted and shown masked")
    contact_name: str = Field("", max_length=50)
    anonymous: bool = False
    resident_id: int | None = Field(None, description="staff entry on behalf of a registered resident")


class EventOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    actor: str
    note: str
    data: dict
    attachments: list[str]
    created_at: dt.datetime


class AppealOut(Schema):
    id: int
    status: str
    tier: str
    color: str
    category: str
    handler: str
    handler_kind: str
    department_id: int | None
    committee: str
    due_at: dt.datetime | None
    reply_due_at: dt.datetime | None
    overdue: bool
    escalated: bool
    channel: str
    text: str
    community_id: int
    community: str
    place_id: int | None
    contact: str
    anonymous: bool
    external_id: str
    list_item_id: int | None
    list_version: int | None
    suggestion: dict
    reply: str
    replied_at: dt.datetime | None
    rating: str
    rating_comment: str
    responded_in_time: bool | None
    resolved: bool | None
    satisfied: bool | None
    merged_into_id: int | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


class InboxItemOut(Schema):
    """A row of an inbox: what a handler needs to pick the next case. The case itself (contact, reply,
    rating, timeline) is ``GET /api/v1/appeals/{id}``."""

    id: int
    status: str
    tier: str
    color: str
    category: str
    handler: str
    handler_kind: str
    department_id: int | None
    committee: str
    due_at: dt.datetime | None
    reply_due_at: dt.datetime | None
    overdue: bool
    escalated: bool
    channel: str
    text: str
    community_id: int
    community: str
    place_id: int | None
    anonymous: bool
    created_at: dt.datetime


class InboxOut(Schema):
    """One page of an inbox: ``next`` is the cursor of the following page (None on the last one); ``count`` is
    exact up to 1,000 open cases, past that it is 1,000 with ``count_exact`` false ("1000+")."""

    items: list[InboxItemOut]
    count: int
    count_exact: bool
    next: str | None


class AppealDetailOut(AppealOut):
    actions: list[str]
    timeline: list[EventOut]
    photos: list[str]


class ActionIn(Schema):
    note: str = Field("", max_length=4000)
    rating: Rating | None = None
    comment: str = Field("", max_length=1000)
    resolved: bool | None = None
    tier: Tier | None = None
    category: str = Field("", max_length=40)
    handler: str = Field("", max_length=40, description="department:<id> · committee:<function> · resident")
    item_id: int | None = None
    into: int | None = Field(None, description="merge: the case this one duplicates")


class PublicAppealOut(Schema):
    id: int
    community: str
    category: str
    tier: str
    color: str
    handler: str
    text: str
    reply: str
    rating: str
    days_to_close: int | None
    created_at: dt.date
    closed_at: dt.datetime


class ItemOut(Schema):
    id: int
    code: str
    matter: str
    description: str
    tier: str
    color: str
    category: str
    handler: str
    handler_kind: str
    keywords: list[str]
    accept_hours: int
    respond_hours: int
    reply_days: int
    help_text: str


class ListOut(Schema):
    id: int
    community_id: int
    version: int
    status: str
    published_at: dt.datetime | None
    items: list[ItemOut]


class BoardRowOut(Schema):
    key: str | int | None
    label: str | None
    count: int


class NotificationOut(Schema):
    id: int
    appeal_id: int | None
    verb: str
    text: str
    read: bool
    created_at: dt.datetime
