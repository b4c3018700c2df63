"""Resident portal of 议事协商: propose, support, vote, object, follow and rate — for one's own community.

Every page needs a user linked to an active registry resident; what it shows is that resident's
community, through the same selectors and services as the API.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from gongzhi.core.errors import DomainError, Forbidden, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry import selectors as registry_selectors
from gongzhi.registry.enums import PlaceKind

from . import selectors
from .enums import (
    SUPPORTABLE_STATUSES,
    BallotStatus,
    CharterStatus,
    Choice,
    ProjectStatus,
    ProposalCategory,
    ProposalStatus,
    PublicityStatus,
)
from .models import ProjectFollow, ProjectRating
from .services import ballots as ballot_services
from .services import projects as project_services
from .services import proposals as proposal_services
from .services import publicity as publicity_services


def resident_page(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        resident = selectors.resident_of(request.user)
        if resident is None:
            return render(request, "deliberation/portal/not_linked.html", status=403)
        try:
            response = view(request, resident, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None
        except DomainError as exc:  # a bad value outside a service call: say so on the same page
            if request.method != "POST":
                raise Http404 from None
            messages.error(request, str(exc.message))
            return redirect(request.path)
        add_never_cache_headers(response)
        return response

    return wrapper


def _act(request, action: Callable[[], object], success: str) -> bool:
    try:
        action()
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, success)
    return True


@resident_page
def home(request, resident):
    """议事 — this month's proposals ranked by support, votes open, publicity, projects, the pact."""
    user = request.user
    community_id = resident.community_id
    period = timezone.localdate().replace(day=1)
    proposals = selectors.proposal_list(user, community_id=community_id, period=period, ranked=True)[:30]
    ballots = (
        selectors.ballots_visible_to(user)
        .filter(community_id=community_id)
        .exclude(status=BallotStatus.CANCELLED)
        .order_by("-created_at")[:10]
    )
    publicities = (
        selectors.publicities_visible_to(user).filter(community_id=community_id).order_by("-starts_on")[:10]
    )
    projects = (
        selectors.projects_visible_to(user)
        .filter(community_id=community_id)
        .prefetch_related("milestones")
        .order_by("-created_at")[:10]
    )
    pacts = [
        (c, c.versions.filter(status=CharterStatus.ADOPTED).first())
        for c in selectors.charters_visible_to(user).filter(community_id=community_id)
    ]
    context = {
        "resident": resident,
        "period": period,
        "proposals": proposals,
        "ballots": ballots,
        "publicities": publicities,
        "projects": [(p, selectors.project_progress(p)) for p in projects],
        "pacts": [(c, v) for c, v in pacts if v is not None],
        "mine": selectors.proposal_list(user, community_id=community_id).filter(author=resident)[:10],
    }
    return render(request, "deliberation/portal/home.html", context)


@resident_page
def new_proposal(request, resident):
    community = resident.community
    places = (
        registry_selectors.places_visible_to(request.user)
        .filter(community=community, kind__in=[PlaceKind.ESTATE, PlaceKind.BUILDING])
        .order_by("path")
    )
    if request.method == "POST":
        require(request.user, "deliberation.add_proposal", community)
        place = places.filter(pk=request.POST.get("place") or 0).first()
        created = {}

        def submit():
            created["p"] = proposal_services.submit_proposal(
                actor=request.user,
                community=community,
                title=request.POST.get("title", ""),
                problem=request.POST.get("problem", ""),
                solution=request.POST.get("solution", ""),
                category=request.POST.get("category", ProposalCategory.OTHER),
                place=place,
                author=resident,
            )

        if _act(request, submit, _("Thank you. Your proposal is published for neighbours to support.")):
            return redirect("deliberation_portal:proposal", created["p"].pk)
    return render(
        request,
        "deliberation/portal/new_proposal.html",
        {"places": places, "categories": ProposalCategory.choices, "data": request.POST},
    )


@resident_page
def proposal_detail(request, resident, proposal_id: int):
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    if request.method == "POST":
        require(user, "deliberation.support_proposal", proposal)
        if request.POST.get("op") == "withdraw":
            _act(
                request,
                lambda: proposal_services.withdraw_support(actor=user, proposal=proposal, resident=resident),
                _("Support withdrawn."),
            )
        else:
            _act(
                request,
                lambda: proposal_services.support_proposal(actor=user, proposal=proposal, resident=resident),
                _("Thank you for your support."),
            )
        return redirect("deliberation_portal:proposal", proposal_id)
    project = getattr(proposal, "project", None) if proposal.status == ProposalStatus.PROJECT else None
    return render(
        request,
        "deliberation/portal/proposal.html",
        {
            "p": proposal,
            "may_support": proposal.status in SUPPORTABLE_STATUSES,
            "project": project,
            "is_author": proposal.author_id == resident.pk,
        },
    )


@resident_page
def ballot_detail(request, resident, ballot_id: int):
    user = request.user
    ballot = selectors.access_ballot(user, ballot_id)
    if request.method == "POST":
        require(user, "deliberation.cast_vote", ballot)
        _act(
            request,
            lambda: ballot_services.cast_vote(
                actor=user, ballot=ballot, resident=resident, choice=request.POST.get("choice", "")
            ),
            _("Your vote is recorded."),
        )
        return redirect("deliberation_portal:ballot", ballot_id)
    elector = selectors.elector_for(ballot, resident) if ballot.status != BallotStatus.DRAFT else None
    participation = getattr(elector, "participation", None) if elector else None
    now = timezone.now()
    online_open = (
        ballot.status == BallotStatus.OPEN
        and ballot.opens_at is not None
        and ballot.opens_at <= now < ballot.closes_at
    )
    result = selectors.ballot_tally(ballot) if ballot.status == BallotStatus.CLOSED else None
    quorum, approval = selectors.thresholds_of(ballot)
    return render(
        request,
        "deliberation/portal/ballot.html",
        {
            "b": ballot,
            "elector": elector,
            "participation": participation,
            "online_open": online_open,
            "result": result,
            "choices": Choice.choices,
            "quorum": quorum,
            "approval": approval,
            "my_choice": participation.vote.choice if participation and not ballot.is_secret else None,
        },
    )


@resident_page
def publicity_detail(request, resident, publicity_id: int):
    user = request.user
    pub = selectors.access_publicity(user, publicity_id)
    if request.method == "POST":
        require(user, "deliberation.object_publicity", pub)
        _act(
            request,
            lambda: publicity_services.object_to_publicity(
                actor=user, publicity=pub, text=request.POST.get("text", ""), resident=resident
            ),
            _("Your objection is recorded; the committee will answer it."),
        )
        return redirect("deliberation_portal:publicity", publicity_id)
    return render(
        request,
        "deliberation/portal/publicity.html",
        {
            "pub": pub,
            "objections": pub.objections.all(),
            "me": resident,
            "may_object": pub.status == PublicityStatus.RUNNING and timezone.localdate() <= pub.ends_on,
        },
    )


@resident_page
def project_detail(request, resident, project_id: int):
    user = request.user
    project = selectors.access_project(user, project_id)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "follow":
            require(user, "deliberation.follow_project", project)
            project_services.follow_project(actor=user, project=project)
        elif op == "unfollow":
            project_services.unfollow_project(actor=user, project=project)
        elif op == "rate":
            require(user, "deliberation.rate_project", project)
            try:
                stars = int(request.POST.get("stars", ""))
            except ValueError:
                stars = 0
            _act(
                request,
                lambda: project_services.rate_project(
                    actor=user,
                    project=project,
                    resident=resident,
                    stars=stars,
                    comment=request.POST.get("comment", ""),
                ),
                _("Thank you for your rating."),
            )
        return redirect("deliberation_portal:project", project_id)
    count, average = selectors.project_rating(project)
    return render(
        request,
        "deliberation/portal/project.html",
        {
            "p": project,
            "progress": selectors.project_progress(project),
            "rating_count": count,
            "rating_average": average,
            "following": ProjectFollow.objects.filter(project=project, user=user).exists(),
            "my_rating": ProjectRating.objects.filter(project=project, resident=resident).first(),
            "may_rate": project.status == ProjectStatus.COMPLETED,
        },
    )


@resident_page
def charter_detail(request, resident, charter_id: int):
    charter = selectors.access_charter(request.user, charter_id)
    versions = selectors.charter_versions_visible_to(request.user, charter)
    return render(request, "deliberation/portal/charter.html", {"c": charter, "versions": versions})
