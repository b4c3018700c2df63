"""Reads of deliberation that depend on who is asking.

Staff holding a deliberation role see what lies under their places. A resident (a user linked to an
active registry resident) sees the public side of their own community: proposals, meetings, ballots
once open, publicities, projects and pacts in force or being voted — never who voted what.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from gongzhi.accounts.selectors import scope_paths
from gongzhi.core import paths
from gongzhi.core.errors import NotFound
from gongzhi.registry.enums import ResidentStatus
from gongzhi.registry.models import Resident

from . import tally
from .eligibility import may_vote_for_household
from .enums import VIEW_ROLES, BallotRule, BallotStatus, CharterStatus, ProjectStatus, ProposalStatus
from .models import (
    Ballot,
    BallotElector,
    Charter,
    CharterVersion,
    Meeting,
    Objection,
    Participation,
    Project,
    Proposal,
    Publicity,
    Support,
    Vote,
)

_NOTHING = Q(pk__in=[])


def resident_of(user) -> Resident | None:
    """The active registry resident behind a user, or None."""
    if user is None or not user.is_authenticated or not user.resident_id:
        return None
    cached = getattr(user, "_deliberation_resident", False)
    if cached is False:
        cached = Resident.objects.filter(pk=user.resident_id, status=ResidentStatus.ACTIVE).first()
        user._deliberation_resident = cached
    return cached


def staff_q(user, roles=VIEW_ROLES, field: str = "path") -> Q | None:
    """Rows in reach of the places where the user holds one of ``roles``; None means everywhere.

    In reach: under the place, or on one of its ancestors — a grid worker sees the meetings, ballots
    and publicities of their community (held on the community itself) but not another grid's proposals.
    """
    found = scope_paths(user, roles) if user.is_authenticated else []
    if found is None:
        return None
    q = _NOTHING
    for p in found:
        q |= paths.subtree_q(field, p) | Q(**{f"{field}__in": paths.ancestors(p)})
    return q


def in_reach(user, roles, path: str) -> bool:
    """The single-object form of ``staff_q``."""
    found = scope_paths(user, roles) if user.is_authenticated else []
    if found is None:
        return True
    return bool(path) and any(path.startswith(p) or p.startswith(path) for p in found)


def _visible(
    qs: QuerySet, user, *, public: Q | None = None, field: str = "path", community_field: str = "community_id"
) -> QuerySet:
    q = staff_q(user, field=field)
    if q is None:
        return qs
    resident = resident_of(user)
    if resident is not None:
        q |= Q(**{community_field: resident.community_id}) & (public or Q())
    return qs.filter(q)


def is_staff_viewer(user, obj) -> bool:
    return in_reach(user, VIEW_ROLES, obj.path)


# Proposals -----------------------------------------------------------------------------------------


def proposals_visible_to(user) -> QuerySet[Proposal]:
    return _visible(Proposal.objects.all(), user)


def proposal_list(
    user,
    *,
    community_id: int | None = None,
    period: dt.date | None = None,
    status: str = "",
    category: str = "",
    ranked: bool = False,
) -> QuerySet[Proposal]:
    """Proposals with ``support_count`` and ``supported`` (by the asking resident), newest or ranked first."""
    qs = proposals_visible_to(user).select_related("place", "author", "merged_into")
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    if period is not None:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    qs = qs.with_support_count()
    resident = resident_of(user)
    if resident is not None:
        qs = qs.annotate(supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), resident=resident)))
    if ranked:
        return qs.exclude(status__in=[ProposalStatus.MERGED, ProposalStatus.NOT_ACCEPTED]).order_by(
            "-support_count", "created_at", "id"
        )
    return qs.order_by("-period", "-created_at", "-id")


def access_proposal(user, proposal_id: int) -> Proposal:
    try:
        return proposal_list(user).get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError):
        raise NotFound() from None


def period_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


# Meetings ------------------------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return _visible(Meeting.objects.all(), user)


def access_meeting(user, meeting_id: int) -> Meeting:
    try:
        return (
            meetings_visible_to(user)
            .prefetch_related("agenda__proposal", "invitations", "steps")
            .annotate(attendance_count=Count("attendance", distinct=True))
            .get(pk=meeting_id)
        )
    except (Meeting.DoesNotExist, ValueError):
        raise NotFound() from None


# Ballots -------------------------------------------------------------------------------------------


def ballots_visible_to(user) -> QuerySet[Ballot]:
    return _visible(Ballot.objects.all(), user, public=~Q(status=BallotStatus.DRAFT))


def access_ballot(user, ballot_id: int) -> Ballot:
    try:
        return (
            ballots_visible_to(user)
            .select_related("proposal", "charter_version__charter", "meeting")
            .prefetch_related("electorate")
            .get(pk=ballot_id)
        )
    except (Ballot.DoesNotExist, ValueError):
        raise NotFound() from None


def thresholds_of(ballot: Ballot) -> tuple[tally.Threshold, tally.Threshold]:
    return (
        tally.Threshold(ballot.quorum_num, ballot.quorum_den, ballot.quorum_inclusive),
        tally.Threshold(ballot.approval_num, ballot.approval_den, ballot.approval_inclusive),
    )


def ballot_tally(ballot: Ballot) -> tally.Tally:
    """The result computed from the frozen electorate and the votes cast."""
    quorum, approval = thresholds_of(ballot)
    eligible = list(BallotElector.objects.filter(ballot=ballot).values_list("area", flat=True))
    votes = list(Vote.objects.filter(ballot=ballot).values_list("choice", "area"))
    return tally.compute(
        rule=ballot.rule, quorum=quorum, approval=approval, eligible_areas=eligible, votes=votes
    )


def with_turnout(qs: QuerySet[Ballot]) -> QuerySet[Ballot]:
    """Electors and participations (count and area) per ballot, in the same query."""
    area = DecimalField(max_digits=14, decimal_places=2)

    def aggregate(model, expr, output):
        rows = model.objects.filter(ballot=OuterRef("pk")).order_by().values("ballot").annotate(v=expr).values("v")
        return Subquery(rows[:1], output_field=output)

    zero = Value(Decimal("0.00"), output_field=area)
    return qs.annotate(
        n_electors=Coalesce(aggregate(BallotElector, Count("id"), IntegerField()), 0),
        n_participations=Coalesce(aggregate(Participation, Count("id"), IntegerField()), 0),
        electors_area=Coalesce(aggregate(BallotElector, Sum("area"), area), zero, output_field=area),
        participating_area=Coalesce(aggregate(Participation, Sum("elector__area"), area), zero, output_field=area),
    )


def turnout(ballot: Ballot) -> tuple[int, int, Decimal | None, Decimal | None]:
    """(electors, participations, electorate area, participating area) — shown while voting runs."""
    eligible = list(BallotElector.objects.filter(ballot=ballot).values_list("area", flat=True))
    taken = list(Participation.objects.filter(ballot=ballot).values_list("elector__area", flat=True))
    if not ballot.weighs_area:
        return len(eligible), len(taken), None, None
    return len(eligible), len(taken), sum(eligible, Decimal("0.00")), sum(taken, Decimal("0.00"))


def elector_for(ballot: Ballot, resident: Resident) -> BallotElector | None:
    """The elector a resident votes as: themselves, or their household. None if not entitled."""
    if ballot.rule == BallotRule.PER_RESIDENT:
        return BallotElector.objects.filter(ballot=ballot, resident=resident).first()
    if not may_vote_for_household(ballot, resident):
        return None
    return BallotElector.objects.filter(
        ballot=ballot, household_id=resident.household_id, resident__isnull=True
    ).first()


def open_ballot_votes(ballot: Ballot) -> QuerySet[Participation]:
    """Who voted what in an open (named) ballot. Never call for a secret ballot."""
    if ballot.is_secret:
        raise NotFound()
    return (
        Participation.objects.filter(ballot=ballot)
        .select_related("elector__household__building__parent", "elector__resident", "cast_by", "vote")
        .order_by("cast_at", "id")
    )


# Publicity -----------------------------------------------------------------------------------------


def publicities_visible_to(user) -> QuerySet[Publicity]:
    return _visible(Publicity.objects.all(), user)


def access_publicity(user, publicity_id: int) -> Publicity:
    try:
        return (
            publicities_visible_to(user)
            .select_related("proposal", "project_organization")
            .prefetch_related(Prefetch("objections", queryset=Objection.objects.order_by("created_at", "id")))
            .get(pk=publicity_id)
        )
    except (Publicity.DoesNotExist, ValueError):
        raise NotFound() from None


def access_objection(user, objection_id: int) -> Objection:
    try:
        return (
            Objection.objects.select_related("publicity__proposal")
            .filter(publicity__in=publicities_visible_to(user))
            .get(pk=objection_id)
        )
    except (Objection.DoesNotExist, ValueError):
        raise NotFound() from None


def public_publicities(community) -> QuerySet[Publicity]:
    """信息公开: a community's publicities, newest first. Objections are shown once answered, without names."""
    return Publicity.objects.filter(community=community).order_by("-starts_on", "-id")


# Projects ------------------------------------------------------------------------------------------


def projects_visible_to(user) -> QuerySet[Project]:
    return _visible(Project.objects.all(), user)


def access_project(user, project_id: int) -> Project:
    try:
        return (
            projects_visible_to(user)
            .select_related("proposal", "organization")
            .prefetch_related("milestones", "updates")
            .get(pk=project_id)
        )
    except (Project.DoesNotExist, ValueError):
        raise NotFound() from None


def public_projects(community) -> QuerySet[Project]:
    return Project.objects.filter(community=community).order_by("-created_at", "-id")


def project_progress(project: Project) -> int:
    """Percent done, weighted by milestones, rounded down; 100 once completed."""
    if project.status == ProjectStatus.COMPLETED:
        return 100
    milestones = list(project.milestones.all())
    total = sum(m.weight for m in milestones)
    if not total:
        return 0
    return sum(m.weight for m in milestones if m.done_at) * 100 // total


def project_rating(project: Project) -> tuple[int, Decimal | None]:
    stars = list(project.ratings.values_list("stars", flat=True))
    if not stars:
        return 0, None
    return len(stars), (Decimal(sum(stars)) / len(stars)).quantize(Decimal("0.01"))


# Pacts ---------------------------------------------------------------------------------------------


def charters_visible_to(user) -> QuerySet[Charter]:
    return _visible(Charter.objects.all(), user)


def access_charter(user, charter_id: int) -> Charter:
    try:
        return charters_visible_to(user).get(pk=charter_id)
    except (Charter.DoesNotExist, ValueError):
        raise NotFound() from None


def charter_versions_visible_to(user, charter: Charter) -> QuerySet[CharterVersion]:
    qs = charter.versions.all()
    if is_staff_viewer(user, charter):
        return qs
    return qs.exclude(status=CharterStatus.DRAFT)


def access_charter_version(user, version_id: int) -> CharterVersion:
    try:
        version = CharterVersion.objects.select_related("charter").get(pk=version_id)
    except (CharterVersion.DoesNotExist, ValueError):
        raise NotFound() from None
    charter = access_charter(user, version.charter_id)
    if not charter_versions_visible_to(user, charter).filter(pk=version.pk).exists():
        raise NotFound()
    return version
