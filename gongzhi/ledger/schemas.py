import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from gongzhi.core.api import ObjectId

from .enums import AwardEvent, BehaviorCategory, CapPeriod, ConsentMethod, FundPurpose, FundRecordKind, Polarity

Key = Field("", max_length=100, pattern=r"^[A-Za-z0-9_.:-]*$",
            description="idempotency key: the same key returns the first result instead of doing it twice")


class AccountOut(Schema):
    id: int
    kind: str
    currency: str
    label: str
    community_id: int
    household_id: int | None
    resident_id: int | None
    unit_id: int | None
    balance: int = Field(description="in the currency's smallest unit: points, minutes, fen")
    balance_display: str
    floor: int | None
    soft_floor: int | None


class EntryOut(Schema):
    id: int
    seq: int
    amount: int
    balance_after: int
    created_at: dt.datetime
    transaction_id: int
    kind: str
    memo: str
    hash: str


class ItemIn(Schema):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")
    polarity: Polarity
    category: BehaviorCategory
    name: str = Field(min_length=2, max_length=200)
    points: int = Field(ge=1, le=10_000)
    evidence_required: bool = True
    cap_points: int | None = Field(None, ge=1, le=1_000_000)
    cap_period: CapPeriod | Literal[""] = ""
    sort: int = Field(0, ge=0, le=10_000)
    event: AwardEvent | Literal[""] = Field("", description="awarded automatically, once per event of this kind")


class ItemChangeIn(Schema):
    polarity: Polarity | None = None
    category: BehaviorCategory | None = None
    name: str | None = Field(None, min_length=2, max_length=200)
    points: int | None = Field(None, ge=1, le=10_000)
    evidence_required: bool | None = None
    cap_points: int | None = Field(None, ge=1, le=1_000_000)
    cap_period: CapPeriod | Literal[""] | None = None
    sort: int | None = Field(None, ge=0, le=10_000)
    event: AwardEvent | Literal[""] | None = None


class ItemOut(Schema):
    id: int
    code: str
    polarity: str
    category: str
    name: str
    points: int
    evidence_required: bool
    cap_points: int | None
    cap_period: str
    event: str


class ListIn(Schema):
    community: ObjectId
    title: str = Field("", max_length=100)
    note: str = Field("", max_length=2000)


class ListOut(Schema):
    id: int
    community_id: int
    version: int
    status: str
    title: str
    note: str
    published_at: dt.datetime | None
    items: list[ItemOut]


class AwardIn(Schema):
    household: ObjectId
    item: ObjectId
    evidence: str = Field("", max_length=2000)
    occurred_on: dt.date | None = None
    note: str = Field("", max_length=200)
    request_key: str = Key


class AwardOut(Schema):
    id: int
    household_id: int
    household: str
    item_id: int
    item_code: str
    item_name: str
    polarity: str
    points: int
    points_posted: int
    evidence: str
    occurred_on: dt.date
    status: str
    transaction_id: int | None
    contest_reason: str
    decision_note: str
    created_at: dt.datetime


class ReasonIn(Schema):
    reason: str = Field(min_length=2, max_length=500)


class DecisionIn(Schema):
    uphold: bool
    note: str = Field(min_length=2, max_length=500)


class BuildingRankOut(Schema):
    rank: int
    building_id: int
    building: str
    households: int
    total: int
    average: float


class HouseholdRankOut(Schema):
    rank: int
    household_id: int
    household: str
    building_id: int
    total: int


class ShopItemIn(Schema):
    community: ObjectId
    unit: ObjectId | None = Field(None, description="the merchant or unit offering it; empty: the community")
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=2000)
    currency: Literal["points", "time"]
    price: int = Field(ge=1, le=1_000_000)
    stock: int = Field(0, ge=0, le=1_000_000)
    per_order_limit: int = Field(5, ge=1, le=100)


class ShopItemChangeIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=2000)
    price: int | None = Field(None, ge=1, le=1_000_000)
    per_order_limit: int | None = Field(None, ge=1, le=100)
    is_active: bool | None = None


class RestockIn(Schema):
    quantity: int = Field(ge=-1_000_000, le=1_000_000)


class ShopItemOut(Schema):
    id: int
    community_id: int
    unit_id: int | None
    offered_by: str
    name: str
    description: str
    currency: str
    price: int
    price_display: str
    stock: int
    per_order_limit: int
    is_active: bool


class OrderIn(Schema):
    item: ObjectId
    quantity: int = Field(1, ge=1, le=100)
    resident: ObjectId | None = Field(None, description="order for an elder you hold a proxy for; default: you")
    idempotency_key: str = Key


class OrderOut(Schema):
    id: int
    item_id: int
    item_name: str
    account_id: int
    quantity: int
    unit_price: int
    total: int
    total_display: str
    status: str
    pickup_code: str | None = Field(description="shown to the buyer only")
    created_at: dt.datetime
    closed_at: dt.datetime | None


class PickupIn(Schema):
    pickup_code: str = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class FundIn(Schema):
    community: ObjectId
    name: str = Field(min_length=2, max_length=100)
    purpose: FundPurpose = FundPurpose.OTHER
    project: str = Field("", max_length=200)
    description: str = Field("", max_length=2000)
    is_public: bool = True
    soft_floor: int | None = Field(None, ge=0, le=10**13, description="warn when the balance falls below (fen)")


class FundOut(Schema):
    id: int
    community_id: int
    name: str
    purpose: str
    project: str
    description: str
    is_public: bool
    balance: int
    balance_display: str
    head_hash: str


class FundRecordIn(Schema):
    kind: FundRecordKind
    amount: int = Field(ge=1, le=10**13, description="fen")
    purpose: str = Field(min_length=2, max_length=200)
    counterparty: str = Field("", max_length=100)
    counterparty_is_person: bool = False
    anonymous: bool = False
    project: str = Field("", max_length=200)
    receipt_no: str = Field("", max_length=50)
    occurred_on: dt.date | None = None
    other_fund: ObjectId | None = None
    idempotency_key: str = Key


class FundRecordOut(Schema):
    id: int
    kind: str
    amount: int
    signed: int
    amount_display: str
    counterparty: str
    purpose: str
    project: str
    receipt_no: str
    occurred_on: dt.date
    transaction_id: int


class StatementOut(Schema):
    fund: FundOut
    start: dt.date | None
    end: dt.date | None
    opening: int
    money_in: int
    money_out: int
    closing: int
    entry_count: int
    head_hash: str = Field(description="SHA-256 chain head of the fund's entries; write it down to detect rewrites")
    lines: list[FundRecordOut]
    warnings: list[str] = []


class ProxyIn(Schema):
    principal: ObjectId
    agent: ObjectId
    relation: str = Field(min_length=1, max_length=30)
    consent_method: ConsentMethod
    consent_note: str = Field(min_length=2, max_length=200)
    valid_until: dt.date | None = None


class ProxyOut(Schema):
    id: int
    principal_id: int
    principal: str
    agent_id: int
    agent: str
    relation: str
    consent_method: str
    consent_note: str
    valid_until: dt.date | None
    revoked_at: dt.datetime | None


class TransferOut(Schema):
    transaction_id: int
    amount: int
    warnings: list[str]



# --- care vouchers (照料券) ------------------------------------------------------------------------------


class VoucherIssueIn(Schema):
    community: ObjectId
    year: int = Field(ge=2000, le=2100)


class VoucherIssueOut(Schema):
    year: int
    issued: int
    already: int
    amount_each: int = Field(description="fen")


class VoucherExpireIn(Schema):
    community: ObjectId


class VoucherExpireOut(Schema):
    grants: int
    amount: int = Field(description="fen taken back")


class ProviderIn(Schema):
    unit: ObjectId
    services: str = Field(min_length=2, max_length=200)


class ProviderOut(Schema):
    id: int
    unit_id: int
    name: str
    community_id: int
    services: str
    is_active: bool


class RedemptionIn(Schema):
    resident: ObjectId | None = Field(None, description="default: yourself; an elder you act for; staff: in scope")
    provider: ObjectId
    amount: int = Field(ge=1, le=36_000, description="fen")
    service: str = Field(min_length=2, max_length=200)
    idempotency_key: str = Key


class RedemptionOut(Schema):
    id: int
    resident_id: int
    provider_id: int
    provider: str
    amount: int
    amount_display: str
    service: str
    transaction_id: int
    created_at: dt.datetime
    balance: int = Field(description="the resident's voucher balance after this payment, fen")


class GrantOut(Schema):
    year: int
    amount: int
    expires_on: dt.date
    expired_amount: int
    expired: bool


class VoucherEntryOut(Schema):
    created_at: dt.datetime
    kind: str
    amount: int
    amount_display: str
    balance_after: int
    memo: str
    transaction_id: int


class VoucherStatementOut(Schema):
    resident_id: int
    name: str
    balance: int
    balance_display: str
    grants: list[GrantOut]
    entries: list[VoucherEntryOut]


class ProviderReceiptOut(Schema):
    id: int
    resident: str = Field(description="masked name")
    amount: int
    service: str
    created_at: dt.datetime


class ProviderStatementOut(Schema):
    provider_id: int
    name: str
    balance: int = Field(description="vouchers received, fen, to be reimbursed")
    balance_display: str
    receipts: list[ProviderReceiptOut]
