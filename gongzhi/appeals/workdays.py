"""工作日历 — working days and working hours: Chinese public holidays and make-up working days.

The national calendar comes from the ``chinese_calendar`` package (holidays and 调休 make-up days as the
State Council publishes them). ``CalendarDay`` rows override it per date, so a year the package does not
know yet (or a local decision) is configured in the database. Outside both, Monday to Friday are workdays.
Office hours are 09:00–12:00 and 13:30–17:30 local time (7 working hours a day).
"""

import datetime as dt
import time
from functools import lru_cache

from django.utils import timezone

MORNING = (dt.time(9, 0), dt.time(12, 0))
AFTERNOON = (dt.time(13, 30), dt.time(17, 30))
PERIODS = (MORNING, AFTERNOON)
HOURS_PER_DAY = 7
_MAX_SEARCH_DAYS = 400
_OVERRIDE_TTL = 60.0
_overrides: tuple[float, dict[dt.date, bool]] = (0.0, {})


def _load_overrides() -> dict[dt.date, bool]:
    global _overrides
    loaded_at, days = _overrides
    if time.monotonic() - loaded_at > _OVERRIDE_TTL:
        from .models import CalendarDay

        days = dict(CalendarDay.objects.values_list("date", "is_workday"))
        _overrides = (time.monotonic(), days)
    return days


def forget_overrides() -> None:
    """Called after a CalendarDay changes, so this process reads the new rows at once."""
    global _overrides
    _overrides = (0.0, {})


@lru_cache(maxsize=4096)
def _national_workday(day: dt.date) -> bool | None:
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (NotImplementedError, ImportError):
        return None


def is_workday(day: dt.date) -> bool:
    override = _load_overrides().get(day)
    if override is not None:
        return override
    national = _national_workday(day)
    if national is not None:
        return national
    return day.weekday() < 5


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def _at(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def next_workday(day: dt.date) -> dt.date:
    for _i in range(_MAX_SEARCH_DAYS):
        day += dt.timedelta(days=1)
        if is_workday(day):
            return day
    raise ValueError("no working day within a year")


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """End of office hours on the ``days``-th working day after the day of ``start`` (1 = next workday)."""
    day = _local(start).date()
    for _i in range(days):
        day = next_workday(day)
    return _at(day, AFTERNOON[1])


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment ``hours`` of office time after ``start``; time outside office hours does not count."""
    remaining = dt.timedelta(hours=hours)
    moment = _local(start)
    day = moment.date()
    if not is_workday(day):
        day, moment = next_workday(day), None
    for _i in range(_MAX_SEARCH_DAYS):
        for begin, end in PERIODS:
            period_start, period_end = _at(day, begin), _at(day, end)
            cursor = period_start if moment is None or moment < period_start else moment
            if cursor >= period_end:
                continue
            available = period_end - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
        day, moment = next_workday(day), None
    raise ValueError("deadline beyond a year")


def working_hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Office hours elapsed from ``start`` to ``end`` (0 if end is before start)."""
    if end <= start:
        return 0.0
    total = dt.timedelta()
    a, b = _local(start), _local(end)
    day = a.date()
    while day <= b.date():
        if is_workday(day):
            for begin, finish in PERIODS:
                lo, hi = max(a, _at(day, begin)), min(b, _at(day, finish))
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600
