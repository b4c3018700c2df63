"""工作日 — working days by the official calendar (holidays and adjusted weekend workdays).

Uses the ``chinesecalendar`` package, which knows the State Council's yearly holiday notices. For a
year it does not know yet, Monday to Friday count as working days; ``is_known`` tells callers so a
page can say the date is provisional.
"""

import datetime as dt
import logging

import chinese_calendar

log = logging.getLogger(__name__)


def is_known(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        log.warning("no official calendar for %s; counting Monday to Friday", day.year)
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` working days that begins after ``start``.

    民法典第二百零一条: a period counted in days does not count the day it starts on, so a publicity posted
    on ``start`` runs through the returned day.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
