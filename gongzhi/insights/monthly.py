"""月报 and 年报 — the figures of one unit's month or year, read from the platform's own records (never typed in).

The year is counted from the same cells as the month (``rates._cells``: community × category × local day,
from the daily rollup once it exists) and its rates come from ``rates._rates``, so every month of the yearly
report equals that month's dashboard and monthly report, and the year's counts are the sum of its months.
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from gongzhi.appeals.models import Appeal
from gongzhi.catalog.enums import ApplicationStatus
from gongzhi.catalog.models import Application
from gongzhi.core import paths
from gongzhi.deliberation.models import Meeting, Proposal
from gongzhi.registry.models import Place
from gongzhi.volunteering.models import Activity, ServiceRecord

from . import rates


def _services_and_activity(place: Place, start: dt.datetime, end: dt.datetime) -> dict:
    """The service hall, deliberation and volunteering counts of [start, end) under the unit."""
    under = paths.subtree_q("path", place.path)
    applications = dict(
        Application.objects.filter(under, submitted_at__gte=start, submitted_at__lt=end)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "applications": [
            {"status": value, "label": str(label), "count": applications.get(value, 0)}
            for value, label in ApplicationStatus.choices
        ],
        "activity": {
            "proposals": Proposal.objects.filter(under, created_at__gte=start, created_at__lt=end).count(),
            "meetings": Meeting.objects.filter(under, starts_at__gte=start, starts_at__lt=end).count(),
            "volunteer_activities": Activity.objects.filter(
                paths.subtree_q("community__path", place.path), starts_at__gte=start, starts_at__lt=end
            ).count(),
            "service_records": ServiceRecord.objects.filter(under, created_at__gte=start,
                                                            created_at__lt=end).count(),
        },
    }


def monthly_figures(place: Place, month: str) -> dict:
    """The dashboard summary plus the service hall, deliberation and volunteering counts of the month."""
    summary = rates.summary(place, month)
    summary.update(_services_and_activity(place, *rates.parse_month(month)))
    return summary


def months_of(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def yearly_figures(place: Place, year: int, *, now=None) -> dict:
    """年报: the year's rates month by month and in total, against the previous year; the year's top problems
    (categories), the community ranking, overdue now, and the service hall, deliberation and volunteering
    counts of the year."""
    now = now or timezone.now()
    start, end = rates.parse_year(year)
    cells = rates._cells(place.path, start, end, now)
    for c in cells:
        c["month"] = str(c["day"])[:7]  # a date, or an ISO string on some backends
    per_month = rates._sum(cells, "month")
    months = [{"month": m, **rates._rates(per_month.get(m, {})).as_dict()} for m in months_of(year)]
    current = rates._rates(rates._sum(cells)[None])
    previous = rates.rates_in(place.path, *rates.parse_year(year - 1), now=now)
    total = current.cases
    by_category = sorted(({"category": k, "count": r["n_cases"],
                           "share": round(100 * r["n_cases"] / total, 1) if total else None}
                          for k, r in rates._sum(cells, "category").items() if r["n_cases"]),
                         key=lambda c: (-c["count"], c["category"]))
    return {
        "place": {"id": place.pk, "name": place.name, "path": place.path, "kind": place.kind},
        "year": year,
        "previous_year": year - 1,
        "weights": list(rates.weights()),
        "rates": current.as_dict(),
        "previous": previous.as_dict(),
        "change": rates.change(current, previous),
        "months": months,
        "by_category": by_category,
        "overdue": Appeal.objects.filter(paths.subtree_q("path", place.path)).overdue(now).count(),
        "ranking": rates.ranking(place.path, months_of(year)[0], now=now, cells=cells),
        **_services_and_activity(place, start, end),
    }
