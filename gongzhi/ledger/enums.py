from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.enums import Role


class Currency(models.TextChoices):
    """币种 — every amount is an integer in the currency's smallest unit."""

    POINTS = "points", pgettext_lazy("reward points", "points")  # 积分 (1 point)
    TIME = "time", _("time coins")  # 时间币 (1 minute of service)
    CNY = "cny", _("yuan")  # 人民币 (1 fen)
    VOUCHER = "voucher", _("care vouchers")  # 照料券 (1 fen of voucher value; never mixed with money)


class AccountKind(models.TextChoices):
    """账户类型 — who owns an account decides its limits (see ACCOUNT_FLOORS)."""

    HOUSEHOLD = "household", _("household")  # 家庭户 (points)
    RESIDENT = "resident", _("resident")  # 居民个人 (time coins)
    UNIT = "unit", _("resident unit or merchant")  # 驻区单位/商户
    FUND = "fund", _("community fund")  # 社区基金 (阳光基金, 慈善, 项目预算)
    ISSUANCE = "issuance", _("issuance")  # 发行 — where points and time coins come from
    SINK = "sink", _("redeemed")  # 回收 — where spent points and coins go
    CLEARING = "clearing", _("clearing")  # 待取货 — paid orders not yet picked up
    EXTERNAL = "external", _("outside world")  # 外部 — donors, grants and payees of funds


# Accounts that belong to the community itself, one per (community, kind, currency).
SYSTEM_KINDS = frozenset({AccountKind.ISSUANCE, AccountKind.SINK, AccountKind.CLEARING, AccountKind.EXTERNAL})
# Hard floor by kind: a debit may never take the balance below it. None: no floor (a source of value).
ACCOUNT_FLOORS: dict[str, int | None] = {
    AccountKind.HOUSEHOLD: 0,
    AccountKind.RESIDENT: 0,
    AccountKind.UNIT: 0,
    AccountKind.FUND: 0,
    AccountKind.ISSUANCE: None,
    AccountKind.SINK: 0,
    AccountKind.CLEARING: 0,
    AccountKind.EXTERNAL: None,
}
# Which currencies an account of each kind may hold.
KIND_CURRENCIES: dict[str, frozenset[str]] = {
    AccountKind.HOUSEHOLD: frozenset({Currency.POINTS}),
    AccountKind.RESIDENT: frozenset({Currency.TIME, Currency.VOUCHER}),
    AccountKind.UNIT: frozenset({Currency.POINTS, Currency.TIME, Currency.CNY, Currency.VOUCHER}),
    AccountKind.FUND: frozenset({Currency.CNY}),
    AccountKind.ISSUANCE: frozenset({Currency.POINTS, Currency.TIME, Currency.VOUCHER}),
    AccountKind.SINK: frozenset({Currency.POINTS, Currency.TIME}),
    AccountKind.CLEARING: frozenset({Currency.POINTS, Currency.TIME}),
    AccountKind.EXTERNAL: frozenset({Currency.CNY}),
}


class TxKind(models.TextChoices):
    """交易类型."""

    AWARD = "award", _("points award")  # 加分
    DEDUCTION = "deduction", _("points deduction")  # 扣分
    SERVICE = "service", _("service hours paid")  # 服务时长结算
    TRANSFER = "transfer", _("family transfer")  # 亲情转赠
    ORDER = "order", _("shop order")  # 兑换下单
    PICKUP = "pickup", _("order picked up")  # 兑换取货
    REFUND = "refund", _("order refund")  # 取消退还
    DONATION = "donation", _("donation")  # 捐赠
    GRANT = "grant", _("grant")  # 拨款
    SPENDING = "spending", _("spending")  # 支出
    ALLOCATION = "allocation", _("allocation between funds")  # 基金调拨
    REVERSAL = "reversal", _("reversal")  # 冲正
    VOUCHER = "voucher", _("care vouchers issued")  # 照料券发放
    REDEMPTION = "redemption", _("care vouchers spent")  # 照料券使用
    EXPIRY = "expiry", _("care vouchers expired")  # 照料券到期冲回


class AwardEvent(models.TextChoices):
    """自动积分事件 — what a behaviour-list item may be keyed to, so points are awarded without staff."""

    MEETING_ATTENDANCE = "meeting_attendance", _("attended a residents' meeting")  # 参加议事会 (签到)
    VOLUNTEER_HOURS = "volunteer_hours", _("confirmed volunteer hours")  # 志愿服务时长确认 (per full hour)
    PROPOSAL_RATED = "proposal_rated", _("own proposal carried out and rated well")  # 建议落地获好评


class Polarity(models.TextChoices):
    """正面/负面行为."""

    POSITIVE = "positive", _("positive behaviour")  # 正面行为 (加分)
    NEGATIVE = "negative", _("negative behaviour")  # 负面行为 (扣分)


class BehaviorCategory(models.TextChoices):
    """积分事项类别 (seed 004: 文明守约、履职自治、社团活动、志愿服务)."""

    PACT = "pact", _("keeping the residents' pact")  # 文明守约
    SELF_GOVERNANCE = "self_governance", _("self-governance duties")  # 履职自治
    CLUB = "club", _("club activity")  # 社团活动
    VOLUNTEERING = "volunteering", _("volunteering")  # 志愿服务
    OTHER = "other", _("other")  # 其他


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # 草稿
    PUBLISHED = "published", _("published")  # 已发布
    SUPERSEDED = "superseded", _("superseded")  # 已废止


class CapPeriod(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    YEAR = "year", _("per year")


class AwardStatus(models.TextChoices):
    POSTED = "posted", _("posted")  # 已记分
    CONTESTED = "contested", _("contested")  # 申诉中
    UPHELD = "upheld", _("contest upheld, reversed")  # 申诉成立, 已冲正
    DISMISSED = "dismissed", _("contest dismissed")  # 申诉驳回
    REVERSED = "reversed", _("reversed")  # 已冲正 (staff correction)


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("awaiting pick-up")  # 待取货
    PICKED_UP = "picked_up", _("picked up")  # 已取货
    CANCELLED = "cancelled", _("cancelled")  # 已取消


class FundPurpose(models.TextChoices):
    SUNSHINE = "sunshine", _("sunshine fund")  # 阳光基金
    CHARITY = "charity", _("charity fund")  # 慈善基金
    PROJECT = "project", _("project budget")  # 项目预算
    OTHER = "other", _("other fund")


class FundRecordKind(models.TextChoices):
    DONATION = "donation", _("donation")  # 捐赠
    GRANT = "grant", _("grant")  # 拨款
    SPENDING = "spending", _("spending")  # 支出
    ALLOCATION = "allocation", _("allocation")  # 调拨


class ConsentMethod(models.TextChoices):
    """How the elder consented to a proxy."""

    SIGNED_FORM = "signed_form", _("signed form")  # 书面签字
    IN_PERSON = "in_person", _("confirmed in person")  # 当面确认
    VIDEO = "video", _("confirmed by video call")  # 视频确认


# Community staff who run points, the shop and funds.
LEDGER_MANAGE_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.COMMUNITY_WORKER})
# Staff who may award or deduct points (grid workers within their grid).
AWARD_ROLES = LEDGER_MANAGE_ROLES | {Role.GRID_WORKER}
# Staff who read the ledger of their scope.
LEDGER_READ_ROLES = AWARD_ROLES | {Role.STREET_OFFICER}

# A proposal's author earns the PROPOSAL_RATED item once its project is completed and residents rated it
# at least this well, by at least this many ratings (居民评议).
PROPOSAL_MIN_RATINGS = 3
PROPOSAL_MIN_AVERAGE = 4.0
SWEEP_DAYS = 31  # the event sweep looks this many days back; idempotency makes overlapping sweeps harmless

# 照料券 (seed 000): 360 yuan a year for every resident aged 60 or over (户籍 residents: migrants excluded),
# spent at registered care providers, the unspent rest expiring at the end of the year.
CARE_VOUCHER_AMOUNT = 36_000  # fen
CARE_VOUCHER_MIN_AGE = 60

CONTEST_WINDOW_DAYS = 30  # a deduction may be contested this many days after it was posted
