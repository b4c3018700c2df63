"""自动积分 — points awarded automatically for events, per the community's published behaviour list.

An item of the published list keyed to an event kind (``BehaviorItem.event``) is awarded once per source
event: the award's ``request_key`` and its ledger transaction's idempotency key are both
``event:<kind>:<source>``, so neither a repeated sweep nor two sweeps racing can pay twice. Caps hold: an
automatic award is cut to what the cap leaves in its period, and skipped when nothing is left.

Sources (read only; this module never writes another app's rows):
  * meeting attendance — deliberation's sign-ins (``Attendance`` of a resident): once per household and meeting;
  * volunteer hours — volunteering's confirmed ``ServiceRecord``: the item's points per full hour (at least one);
  * a rated proposal — a completed deliberation ``Project`` whose proposal has a resident author, rated by at
    least PROPOSAL_MIN_RATINGS residents with an average of PROPOSAL_MIN_AVERAGE stars or more.

``sweep_events`` looks ``SWEEP_DAYS`` back and is run by ``gongzhi ledger sweep-events`` or the Celery task
``gongzhi.ledger.tasks.sweep_award_events``; volunteering also calls ``award_for_event`` when it confirms hours.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from gongzhi.registry.enums import ResidentStatus

from ..enums import PROPOSAL_MIN_AVERAGE, PROPOSAL_MIN_RATINGS, SWEEP_DAYS, AwardEvent, ListStatus
from ..models import BehaviorItem, PointsAward
from .points import MAX_BACKDATE_DAYS, _award, published_list


def event_key(kind: str, source: str) -> str:
    return f"event:{kind}:{source}"[:100]


def event_item(community, kind: str) -> BehaviorItem | None:
    """The published list's item keyed to ``kind`` in ``community``, if any."""
    current = published_list(community)
    return None if current is None else current.items.filter(event=kind).first()


def award_for_event(*, kind: str, source: str, household, occurred_on: dt.date, actor=None, units: int = 1,
                    evidence: str = "", note: str = "") -> PointsAward | None:
    """Award the item keyed to ``kind`` for one source event, once. Returns the award (the first one when the
    event was awarded before), or None: no such item published, date out of range, or the cap is used up.
    ``units`` multiplies the item's points (e.g. hours served). ``actor`` None: the system.
    """
    key = event_key(kind, source)
    existing = PointsAward.objects.filter(request_key=key).first()
    if existing is not None:
        return existing
    item = event_item(household.community, kind)
    if item is None or units < 1:
        return None
    today = timezone.localdate()
    if occurred_on > today or (today - occurred_on).days > MAX_BACKDATE_DAYS:
        return None
    evidence = (evidence or AwardEvent(kind).label)[:2000]
    try:
        with transaction.atomic():
            return _award(household=household, item=item, actor=actor, evidence=str(evidence),
                          occurred_on=occurred_on, note=note[:200], request_key=key,
                          automatic_points=item.points * units)
    except IntegrityError:  # a concurrent sweep awarded it first
        existing = PointsAward.objects.filter(request_key=key).first()
        if existing is None:
            raise
        return existing


@dataclass
class SweepReport:
    awarded: dict = field(default_factory=dict)  # kind → awards made by this sweep
    seen: dict = field(default_factory=dict)  # kind → events examined (already awarded ones included)

    def add(self, kind: str, before: bool, award) -> None:
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if award is not None and not before:
            self.awarded[kind] = self.awarded.get(kind, 0) + 1

    def lines(self) -> list[str]:
        return [f"{kind}: {self.awarded.get(kind, 0)} awarded, {self.seen.get(kind, 0)} events seen"
                for kind in AwardEvent.values]


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _communities_with_items() -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for community_id, event in (BehaviorItem.objects.filter(behavior_list__status=ListStatus.PUBLISHED)
                                .exclude(event="").values_list("behavior_list__community_id", "event")):
        found.setdefault(community_id, set()).add(event)
    return found


def _run(report: SweepReport, kind: str, key: str, **kwargs) -> None:
    before = PointsAward.objects.filter(request_key=event_key(kind, key)).exists()
    report.add(kind, before, None if before else award_for_event(kind=kind, source=key, **kwargs))


def sweep_events(*, community_id: int | None = None, days: int = SWEEP_DAYS, actor=None,
                 now: dt.datetime | None = None) -> SweepReport:
    """Award every event of the last ``days`` days that has an item on its community's published list."""
    from gongzhi.deliberation.enums import ProjectStatus
    from gongzhi.deliberation.models import Attendance, Project
    from gongzhi.volunteering.enums import RecordStatus
    from gongzhi.volunteering.models import ServiceRecord

    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    report = SweepReport()
    keyed = _communities_with_items()
    if community_id is not None:
        keyed = {community_id: keyed[community_id]} if community_id in keyed else {}

    def communities(kind: str) -> list[int]:
        return [c for c, kinds in keyed.items() if kind in kinds]

    kind = AwardEvent.MEETING_ATTENDANCE
    if ids := communities(kind):
        rows = (Attendance.objects.filter(resident__isnull=False, resident__status=ResidentStatus.ACTIVE,
                                          meeting__community_id__in=ids, signed_in_at__gte=since)
                .select_related("meeting", "resident__household__community").order_by("signed_in_at", "id"))
        for row in rows:
            household = row.resident.household
            _run(report, kind, f"meeting:{row.meeting_id}:household:{household.pk}", household=household,
                 occurred_on=_local_day(row.signed_in_at), actor=actor, note=row.meeting.title,
                 evidence=f"{row.meeting.title}（签到）")

    kind = AwardEvent.VOLUNTEER_HOURS
    if ids := communities(kind):
        rows = (ServiceRecord.objects.filter(status=RecordStatus.CONFIRMED, community_id__in=ids,
                                             decided_at__gte=since, volunteer__resident__status=ResidentStatus.ACTIVE)
                .select_related("volunteer__resident__household__community").order_by("decided_at", "id"))
        for record in rows:
            _run(report, kind, f"service-record:{record.pk}", **volunteer_hours_event(record), actor=actor)

    kind = AwardEvent.PROPOSAL_RATED
    if ids := communities(kind):
        rows = (Project.objects.filter(status=ProjectStatus.COMPLETED, community_id__in=ids,
                                       proposal__author__isnull=False,
                                       proposal__author__status=ResidentStatus.ACTIVE)
                .annotate(n=Count("ratings"), stars=Avg("ratings__stars"), last=Max("ratings__created_at"))
                .filter(Q(last__gte=since) | Q(completed_at__gte=since), n__gte=PROPOSAL_MIN_RATINGS,
                        stars__gte=PROPOSAL_MIN_AVERAGE)
                .select_related("proposal__author__household__community").order_by("completed_at", "id"))
        for project in rows:
            _run(report, kind, f"project:{project.pk}", household=project.proposal.author.household,
                 occurred_on=_local_day(project.completed_at), actor=actor, note=project.title,
                 evidence=f"{project.title}（{project.n}人评议，平均{project.stars:.1f}星）")
    return report


def volunteer_hours_event(record) -> dict:
    """The award_for_event arguments for a confirmed service record (one unit per full hour, at least one)."""
    return {"household": record.volunteer.resident.household, "occurred_on": record.served_on,
            "units": max(1, record.minutes // 60), "note": record.description[:200],
            "evidence": f"{record.description}（{record.minutes}分钟，已确认）"}
