"""Choices of the appeals app: tiers (三事分流), channels, statuses, workflow actions, ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """三事分流 — 大事 (government, red) / 小事 (community, orange) / 私事 (private, yellow)."""

    GOVERNMENT = "government", _("government matter")  # 大事 · 公家事 · 红色
    COMMUNITY = "community", _("community matter")  # 小事 · 大家事 · 橙色
    PRIVATE = "private", _("private matter")  # 私事 · 自家事 · 黄色


class Color(models.TextChoices):
    RED = "red", _("red")
    ORANGE = "orange", _("orange")
    YELLOW = "yellow", _("yellow")


TIER_COLORS: dict[str, str] = {
    Tier.GOVERNMENT: Color.RED,
    Tier.COMMUNITY: Color.ORANGE,
    Tier.PRIVATE: Color.YELLOW,
}


class Channel(models.TextChoices):
    """诉求渠道 — where an appeal came in."""

    PORTAL = "portal", _("online portal")  # 网上提交
    PHONE = "phone", _("phone call")  # 来电
    MAILBOX = "mailbox", _("residents' mailbox")  # 居民信箱
    TALK_DAY = "talk_day", _("residents' talk day")  # 居民恳谈日
    OPINION_DIARY = "opinion_diary", _("public-opinion diary")  # 民情日记
    GRID_WALK = "grid_walk", _("grid walk")  # 网格走访
    PARTY_STUDIO = "party_studio", _("party representative studio")  # 党代表工作室
    HOTLINE = "hotline", _("12345 hotline")  # 12345 热线
    OPEN311 = "open311", _("Open311")


# Channels staff use to record an appeal on a resident's behalf.
STAFF_CHANNELS = frozenset(
    {
        Channel.PHONE,
        Channel.MAILBOX,
        Channel.TALK_DAY,
        Channel.OPINION_DIARY,
        Channel.GRID_WALK,
        Channel.PARTY_STUDIO,
    }
)


class HandlerKind(models.TextChoices):
    """承办主体."""

    DEPARTMENT = "department", _("government department")  # 职能部门
    COMMITTEE = "committee", _("residents' committee")  # 居委会专委会
    RESIDENT = "resident", _("resident, with help")  # 居民自办（互助、志愿、市场）


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # 草稿
    PUBLISHED = "published", _("published")  # 已公示
    SUPERSEDED = "superseded", _("superseded")  # 已被新版本替代


class AppealStatus(models.TextChoices):
    """诉求状态."""

    SUBMITTED = "submitted", _("submitted")  # 已提交
    TRIAGED = "triaged", _("triaged")  # 已分流
    ASSIGNED = "assigned", _("assigned")  # 已派单（社区点单）
    ACCEPTED = "accepted", _("accepted")  # 已受理（街道接单）
    IN_PROGRESS = "in_progress", _("in progress")  # 办理中（部门响应）
    REPLIED = "replied", _("replied")  # 已答复
    RATED = "rated", _("rated")  # 已评价
    CLOSED = "closed", _("closed")  # 已办结（销号）
    WITHDRAWN = "withdrawn", _("withdrawn")  # 已撤回
    MERGED = "merged", _("merged")  # 已合并


S = AppealStatus
# Statuses in which the case still waits for someone: deadlines run, reminders and escalation apply.
# A tuple, in a fixed order: ``status__in_literals=OPEN_STATUSES`` must print the same SQL in every process:
# SQLite uses a partial index (models.Appeal.Meta.indexes, "appeal_open_*") only when the query's IN list
# matches the index's WHERE clause term for term.
OPEN_STATUSES = (S.SUBMITTED, S.TRIAGED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
FINAL_STATUSES = frozenset({S.CLOSED, S.WITHDRAWN, S.MERGED})
# Statuses in which the case has been sent to its handler (department handlers see it from here on).
SENT_STATUSES = frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REPLIED, S.RATED, S.CLOSED})
# The two inboxes: cases waiting for the community to triage, and cases waiting for their handler. Each has
# partial indexes on exactly these statuses (models.Appeal.Meta.indexes), so keep the tuples' order fixed.
TRIAGE_STATUSES = (S.SUBMITTED, S.TRIAGED)
HANDLER_STATUSES = (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)


class Action(models.TextChoices):
    """办理动作 — each has the permission ``appeals.<action>_appeal``."""

    SUBMIT = "submit", _("submit")  # 提交
    TRIAGE = "triage", _("triage")  # 分流（确认或改派）
    ASSIGN = "assign", _("assign")  # 派单（社区点单）
    ACCEPT = "accept", _("accept")  # 受理（街道接单）
    START = "start", _("start work")  # 响应办理（部门响应）
    REPLY = "reply", _("reply")  # 答复
    RATE = "rate", _("rate")  # 评价
    FOLLOW_UP = "follow_up", _("phone follow-up")  # 电话回访
    CLOSE = "close", _("close")  # 办结销号
    RETURN = "return", _("return to triage")  # 退回重新分流
    ESCALATE = "escalate", _("escalate")  # 上报街道（吹哨）
    MERGE = "merge", _("merge")  # 合并重复件
    WITHDRAW = "withdraw", _("withdraw")  # 撤回
    REOPEN = "reopen", _("reopen")  # 不满意重办
    REMIND = "remind", _("deadline reminder")  # 到期提醒（不改状态）


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")  # 满意
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")  # 基本满意
    UNSATISFIED = "unsatisfied", _("unsatisfied")  # 不满意


class Step(models.TextChoices):
    """Steps with their own deadline (社区点单、街道接单、部门响应、答复)."""

    TRIAGE = "triage", _("triage and place the order")  # 社区分流点单
    ACCEPT = "accept", _("accept")  # 接单
    RESPOND = "respond", _("respond")  # 响应
    REPLY = "reply", _("reply")  # 答复


# Which step a case is at, by status.
STEP_OF_STATUS: dict[str, str] = {
    S.SUBMITTED: Step.TRIAGE,
    S.TRIAGED: Step.TRIAGE,
    S.ASSIGNED: Step.ACCEPT,
    S.ACCEPTED: Step.RESPOND,
    S.IN_PROGRESS: Step.REPLY,
}


class TriageSource(models.TextChoices):
    LIST = "list", _("responsibility list")  # 责任清单
    CLASSIFIER = "classifier", _("classifier")  # 智能分拨
    STAFF = "staff", _("staff")  # 人工


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
