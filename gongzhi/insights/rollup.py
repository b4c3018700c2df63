"""日汇总 — pre-aggregation of appeals per (community, day created, category) for the dashboard at 1 M cases.

``gongzhi insights rollup [--full]`` and the Celery task ``insights.rollup`` fill ``DailyRollup``. A
run recomputes every day on which a case was created whose row changed since the previous run (so a
case rated in April corrects its March day); ``--full`` rebuilds everything. Once a rollup exists the
dashboard, the API and the reports all read it (the same figures everywhere); the counts that depend
on the clock (open cases past their reply deadline, overdue now) are always counted live.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from gongzhi.appeals.models import Appeal

from .models import DailyRollup, RollupState

KEY = "daily"
FIELDS = ("cases", "responded", "replied_flagged", "resolved", "resolution_known", "satisfied", "rated")


def _counts() -> dict:
    return {
        "n_cases": Count("id"),
        "n_responded": Count("id", filter=Q(responded_in_time=True)),
        "n_replied_flagged": Count("id", filter=Q(responded_in_time__isnull=False)),
        "n_resolved": Count("id", filter=Q(resolved=True)),
        "n_resolution_known": Count("id", filter=Q(resolved__isnull=False)),
        "n_satisfied": Count("id", filter=Q(satisfied=True)),
        "n_rated": Count("id", filter=Q(satisfied__isnull=False)),
    }


def _rebuild(days: list[dt.date] | None, now) -> int:
    from .rates import EXCLUDED

    tz = timezone.get_current_timezone()
    qs = Appeal.objects.exclude(status__in=EXCLUDED)
    old = DailyRollup.objects.all()
    if days is not None:
        ranges = Q(pk__in=[])
        for d in days:
            start = timezone.make_aware(dt.datetime.combine(d, dt.time()), tz)
            ranges |= Q(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
        qs = qs.filter(ranges)
        old = old.filter(day__in=days)
    paths = {}
    rows = []
    grouped = (qs.annotate(day=TruncDate("created_at", tzinfo=tz))
               .values("community_id", "day", "category").annotate(**_counts()).order_by())
    for r in grouped.iterator(chunk_size=5000):
        rows.append(DailyRollup(community_id=r["community_id"], day=r["day"], category=r["category"], path="",
                                computed_at=now, **{f: r[f"n_{f}"] for f in FIELDS}))
    from gongzhi.registry.models import Place

    paths = dict(Place.objects.filter(pk__in={r.community_id for r in rows}).values_list("pk", "path"))
    for r in rows:
        r.path = paths[r.community_id]
    old.delete()
    DailyRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def run_rollup(*, full: bool = False, now=None) -> dict:
    """Roll up what changed since the last run (or everything); returns what it did."""
    now = now or timezone.now()
    state = RollupState.objects.select_for_update().filter(key=KEY).first()
    if full or state is None:
        rows = _rebuild(None, now)
        days = None
    else:
        tz = timezone.get_current_timezone()
        days = sorted(set(
            Appeal.objects.filter(updated_at__gte=state.ran_at - dt.timedelta(seconds=5))
            .annotate(day=TruncDate("created_at", tzinfo=tz)).values_list("day", flat=True).distinct()))
        rows = 0
        for i in range(0, len(days), 50):
            rows += _rebuild(days[i:i + 50], now)
    RollupState.objects.update_or_create(key=KEY, defaults={"ran_at": now})
    return {"full": days is None, "days": None if days is None else len(days), "rows": rows}


def rollup_ready() -> bool:
    return RollupState.objects.filter(key=KEY).exists()
