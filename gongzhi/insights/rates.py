"""三率 — response, resolution and satisfaction rates: the ONE place where they are defined.

A unit is a place (its whole subtree, by materialised path); a period is a calendar month (``YYYY-MM``).
The cases of a period are the appeals *created* in that month under the unit, except withdrawn and merged
ones (they were never handled as cases of their own). Each rate is a percentage with one decimal, or
``None`` when its denominator is empty:

- 响应率 response rate = replied by the reply deadline (``responded_in_time``) ÷ cases that are due:
  replied cases, plus open unreplied cases whose reply deadline has already passed (late ones count against).
- 解决率 resolution rate = ``resolved`` ÷ cases with a resolution recorded (reply or rating).
- 满意率 satisfaction rate = ``satisfied`` (满意 or 基本满意) ÷ rated cases.
- 综合得分 combined score = weighted mean of the available (unrounded) rates, rounded to one decimal;
  weights from the setting ``GONGZHI_RATE_WEIGHTS`` ("response,resolution,satisfaction", default "30,35,35");
  rates that are ``None`` are left out and the remaining weights renormalised.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from gongzhi.appeals.enums import OPEN_STATUSES, AppealStatus
from gongzhi.appeals.models import Appeal
from gongzhi.core import paths
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

DEFAULT_WEIGHTS = (30, 35, 35)
EXCLUDED = (AppealStatus.WITHDRAWN, AppealStatus.MERGED)


def weights() -> tuple[int, int, int]:
    """Weights of (response, resolution, satisfaction), from ``GONGZHI_RATE_WEIGHTS``."""
    raw = getattr(settings, "GONGZHI_RATE_WEIGHTS", None)
    if not raw:
        return DEFAULT_WEIGHTS
    if isinstance(raw, str):
        raw = raw.split(",")
    values = tuple(int(str(v).strip()) for v in raw)
    if len(values) != 3 or any(v < 0 for v in values) or sum(values) == 0:
        raise ValueError("GONGZHI_RATE_WEIGHTS must be three non-negative integers, not all zero")
    return values  # type: ignore[return-value]


def parse_month(value: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` → [start, end) as aware datetimes in the current time zone; ValueError if malformed."""
    year, month = value.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(value)
    start = dt.date(int(year), int(month), 1)
    end = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
        timezone.make_aware(dt.datetime.combine(end, dt.time()), tz),
    )


def previous_month(value: str) -> str:
    year, month = (int(x) for x in value.split("-"))
    return f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"


def current_month() -> str:
    return timezone.localtime().strftime("%Y-%m")


@dataclass
class Rates:
    """一个单位一个周期的三率."""

    cases: int
    responded: int
    response_due: int
    resolved: int
    resolution_known: int
    satisfied: int
    rated: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def combined_score(response, resolution, satisfaction, w=None) -> float | None:
    w = w or weights()
    pairs = [(r, wt) for r, wt in zip((response, resolution, satisfaction), w, strict=True) if r is not None]
    total = sum(wt for _, wt in pairs)
    if not pairs or not total:
        return None
    return round(sum(r * wt for r, wt in pairs) / total, 1)


def range_cases(path: str, start, end):
    """The counted cases created in [start, end) under ``path``."""
    return Appeal.objects.filter(
        paths.subtree_q("path", path), created_at__gte=start, created_at__lt=end
    ).exclude(status__in=EXCLUDED)


def period_cases(path: str, month: str):
    return range_cases(path, *parse_month(month))


def parse_year(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return (timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
            timezone.make_aware(dt.datetime.combine(end, dt.time()), tz))


def late_open_q(now) -> Q:
    """Open cases not replied to whose reply deadline has passed (they count against the response rate)."""
    return Q(status__in_literals=OPEN_STATUSES, replied_at__isnull=True, reply_due_at__lt=now)


def figure_q(name: str, now) -> Q:
    """The cases behind one figure of the period (the drill-down uses the same conditions as the counts)."""
    late_open = late_open_q(now)
    conditions = {
        "cases": Q(),
        "responded": Q(responded_in_time=True),
        "response_due": Q(responded_in_time__isnull=False) | late_open,
        "not_responded": Q(responded_in_time=False) | late_open,
        "resolved": Q(resolved=True),
        "resolution_known": Q(resolved__isnull=False),
        "unresolved": Q(resolved=False),
        "satisfied": Q(satisfied=True),
        "rated": Q(satisfied__isnull=False),
        "unsatisfied": Q(satisfied=False),
    }
    return conditions[name]


COUNTED = ("cases", "responded", "response_due", "resolved", "resolution_known", "satisfied", "rated")
FIGURES = (*COUNTED, "not_responded", "unresolved", "unsatisfied")


def _aggregates(now) -> dict:
    counts = {k: Count("id", filter=figure_q(k, now)) if k != "cases" else Count("id") for k in COUNTED}
    return {f"n_{k}": v for k, v in counts.items()}  # prefixed: "resolved" is also a field


def _exact(n: int, d: int) -> float | None:
    return 100 * n / d if d else None


def _rates(row: dict) -> Rates:
    counts = {k: row.get(f"n_{k}") or 0 for k in COUNTED}
    exact = (
        _exact(counts["responded"], counts["response_due"]),
        _exact(counts["resolved"], counts["resolution_known"]),
        _exact(counts["satisfied"], counts["rated"]),
    )
    response, resolution, satisfaction = (None if r is None else round(r, 1) for r in exact)
    return Rates(
        **counts,
        response_rate=response,
        resolution_rate=resolution,
        satisfaction_rate=satisfaction,
        score=combined_score(*exact),
    )


KEYS = ("community_id", "category", "day")


def _cells(path: str, start, end, now) -> list[dict]:
    """Counts (``n_*`` keys) of the cases created in [start, end) under ``path``, one cell per community,
    category and local day. Read from the daily rollup once one exists (see rollup.py), else from the
    cases; both give the same numbers."""
    from .rollup import rollup_ready

    tz = timezone.get_current_timezone()
    cases = range_cases(path, start, end).annotate(day=TruncDate("created_at", tzinfo=tz))
    if not rollup_ready():
        return list(cases.values(*KEYS).annotate(**_aggregates(now)).order_by())
    from .models import DailyRollup

    fields = ("cases", "responded", "replied_flagged", "resolved", "resolution_known", "satisfied", "rated")
    cells = {}
    for r in DailyRollup.objects.filter(paths.subtree_q("path", path), day__gte=timezone.localtime(start).date(),
                                        day__lt=timezone.localtime(end).date()).values(*KEYS, *fields):
        cell = {k: r[k] for k in KEYS}
        cell.update({f"n_{f}": r[f] for f in fields if f != "replied_flagged"})
        cell["n_response_due"] = r["replied_flagged"]
        cells[tuple(r[k] for k in KEYS)] = cell
    # the clock-dependent part of the response rate, counted live: open, unreplied, past the reply deadline
    # (written as the open-cases condition itself, not figure_q's OR, so it reads the partial index
    # "appeal_open_created" on the open cases)
    late = cases.filter(late_open_q(now), responded_in_time__isnull=True)
    for r in late.values(*KEYS).annotate(n=Count("id")).order_by():
        key = tuple(r[k] for k in KEYS)
        cell = cells.setdefault(key, {**dict(zip(KEYS, key, strict=True)), **{f"n_{k}": 0 for k in COUNTED}})
        cell["n_response_due"] += r["n"]
    return list(cells.values())


def _sum(cells: list[dict], by: str | None = None) -> dict:
    """Cells added up per ``by`` (None: one total under the key None)."""
    out: dict = {}
    for c in cells:
        row = out.setdefault(None if by is None else c[by], {f"n_{k}": 0 for k in COUNTED})
        for k in COUNTED:
            row[f"n_{k}"] += c[f"n_{k}"] or 0
    return out if out or by is not None else {None: {}}


def rates_for(path: str, month: str, *, now=None) -> Rates:
    """三率 of the unit at ``path`` (whole subtree) for the month ``YYYY-MM``."""
    return rates_in(path, *parse_month(month), now=now)


def rates_in(path: str, start, end, *, now=None) -> Rates:
    """三率 of the unit at ``path`` for any [start, end) of whole local days (a year for the star rating)."""
    return _rates(_sum(_cells(path, start, end, now or timezone.now()))[None])


def ranking(path: str, month: str, *, now=None, cells: list[dict] | None = None) -> list[dict]:
    """Communities under the unit, best combined score first (no score last, then by path)."""
    if cells is None:
        cells = _cells(path, *parse_month(month), now or timezone.now())
    communities = list(
        Place.objects.filter(paths.subtree_q("path", path), kind=PlaceKind.COMMUNITY).order_by("path")
    )
    rows = _sum(cells, "community_id")
    result = []
    for c in communities:
        rates = _rates(rows.get(c.pk, {}))
        result.append({"community_id": c.pk, "name": c.name, "path": c.path, **rates.as_dict()})
    result.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["path"]))
    for i, r in enumerate(result, 1):
        r["rank"] = i if r["score"] is not None else None
    return result


def change(current: Rates, previous: Rates) -> dict:
    """Each rate's and the score's change against the previous period, in points (None where either is)."""
    return {
        k: (None if getattr(current, k) is None or getattr(previous, k) is None
            else round(getattr(current, k) - getattr(previous, k), 1))
        for k in ("response_rate", "resolution_rate", "satisfaction_rate", "score")
    }


def summary(place: Place, month: str, *, now=None) -> dict:
    """Everything the dashboard, the API and the monthly report show for one unit and month."""
    now = now or timezone.now()
    cells = _cells(place.path, *parse_month(month), now)
    current = _rates(_sum(cells)[None])
    prev_month = previous_month(month)
    previous = rates_for(place.path, prev_month, now=now)
    by_category = sorted(({"category": k, "count": r["n_cases"]} for k, r in _sum(cells, "category").items()
                          if r["n_cases"]), key=lambda c: (-c["count"], c["category"]))
    by_week = {}
    for day, r in _sum(cells, "day").items():
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        monday = (day - dt.timedelta(days=day.weekday())).isoformat()
        by_week[monday] = by_week.get(monday, 0) + r["n_cases"]
    overdue = Appeal.objects.filter(paths.subtree_q("path", place.path)).overdue(now).count()
    return {
        "place": {"id": place.pk, "name": place.name, "path": place.path, "kind": place.kind},
        "period": month,
        "previous_period": prev_month,
        "weights": list(weights()),
        "rates": current.as_dict(),
        "previous": previous.as_dict(),
        "change": change(current, previous),
        "by_category": by_category,
        "by_week": [{"week": k, "count": v} for k, v in sorted(by_week.items()) if v],
        "overdue": overdue,
        "ranking": ranking(place.path, month, now=now, cells=cells),
    }


def department_rates_in(department_id: int, path: str, start, end, *, now=None) -> Rates:
    """三率 of the cases one department (职能部门) handled under ``path`` created in [start, end).

    Counted from the cases themselves (the daily rollup has no department); same definitions as above.
    """
    cases = range_cases(path, start, end).filter(department_id=department_id)
    return _rates(cases.aggregate(**_aggregates(now or timezone.now())))
