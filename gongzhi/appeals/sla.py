"""时限 — the deadline of each step, from the responsibility-list item or the district defaults.

社区分流点单 (triage): TRIAGE_HOURS working hours after intake or return.
街道/承办方接单 (accept): the item's ``accept_hours`` working hours after the order is placed.
部门响应 (respond): the item's ``respond_hours`` working hours after acceptance.
答复 (reply): the item's ``reply_days`` working days after the order is placed.
A reminder goes out REMIND_HOURS working hours before a deadline.
"""

import datetime as dt

from . import workdays
from .enums import Step

TRIAGE_HOURS = 4
DEFAULT_ACCEPT_HOURS = 4
DEFAULT_RESPOND_HOURS = 8
DEFAULT_REPLY_DAYS = 5
REMIND_HOURS = 2
MAX_RETURNS = 2  # 退回次数上限: after that the case must be escalated, not returned again
MAX_REOPENS = 1  # 不满意重办: once


def limits_of(appeal) -> dict[str, int]:
    item = appeal.list_item
    return {
        "accept_hours": item.accept_hours if item else DEFAULT_ACCEPT_HOURS,
        "respond_hours": item.respond_hours if item else DEFAULT_RESPOND_HOURS,
        "reply_days": item.reply_days if item else DEFAULT_REPLY_DAYS,
    }


def due_at(step: str, appeal, *, start: dt.datetime) -> dt.datetime:
    if step == Step.TRIAGE:
        return workdays.add_working_hours(start, TRIAGE_HOURS)
    limits = limits_of(appeal)
    if step == Step.ACCEPT:
        return workdays.add_working_hours(start, limits["accept_hours"])
    if step == Step.RESPOND:
        return workdays.add_working_hours(start, limits["respond_hours"])
    return workdays.add_working_days(start, limits["reply_days"])


def remind_at(deadline: dt.datetime) -> dt.datetime:
    """REMIND_HOURS of office time before ``deadline`` (approximately: wall-clock within the same day)."""
    return deadline - dt.timedelta(hours=REMIND_HOURS)
