"""Staff console pages of 议事协商: proposals and review, meetings run live, ballots, publicity, projects, pacts.

Pages read through the selectors and write through the services, like the API. A POST that the domain
refuses comes back to the same page with the reason; an htmx POST from the meeting page answers with the
refreshed fragment only, so a tablet can run the meeting step by step.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.accounts.selectors import roles_of, scopes_of
from gongzhi.core import paths
from gongzhi.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.party.enums import Function
from gongzhi.registry import selectors as registry_selectors
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import procedures, selectors, workflow
from .enums import (
    STAFF_SOURCES,
    VIEW_ROLES,
    Award,
    BallotMode,
    BallotRule,
    BallotStatus,
    Channel,
    CharterKind,
    Choice,
    InvitationKind,
    MatterKind,
    MeetingKind,
    ProposalCategory,
    ProposalSource,
    ProposalStatus,
)
from .models import Meeting
from .services import ballots as ballot_services
from .services import charters as charter_services
from .services import meetings as meeting_services
from .services import projects as project_services
from .services import proposals as proposal_services
from .services import publicity as publicity_services

PER_PAGE = 20


def deliberation_page(view: Callable) -> Callable:
    """Signed in with a deliberation staff role; domain refusals on GET become 403/404 pages."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles_of(request.user) & VIEW_ROLES:
            raise PermissionDenied
        try:
            response = view(request, *args, **kwargs)
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
        patch_vary_headers(response, ["HX-Request"])
        return response

    return wrapper


def _partial(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx and not request.htmx.boosted else template


def _act(request, action: Callable[[], object], success: str) -> bool:
    """Run a write; show its success or the domain's reason. Permission refusals propagate (403)."""
    try:
        action()
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, success)
    return True


def _fen(yuan: str | None) -> int:
    """"4800.50" yuan → 480050 fen, exactly; at most two decimals."""
    try:
        value = Decimal((yuan or "0").strip().replace(",", "")) * 100
    except InvalidOperation:
        raise InvalidInput(_("Enter an amount in yuan, e.g. 4800.50."), field="budget_yuan") from None
    if value != value.to_integral_value():
        raise InvalidInput(_("Enter an amount in yuan, e.g. 4800.50."), field="budget_yuan")
    return int(value)


def _must(obj):
    if obj is None:
        raise NotFound()
    return obj


def _int(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Enter a whole number."), field=field) from None


def communities_of(user) -> list[Place]:
    """The communities a staff user works in (their scope's communities, or those under it)."""
    q = Q(pk__in=[])
    for s in scopes_of(user):
        if s.role not in VIEW_ROLES:
            continue
        if not s.path:
            return list(Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("path"))
        if s.community_id:
            q |= Q(pk=s.community_id)
        else:
            q |= paths.subtree_q("path", s.path)
    return list(Place.objects.filter(q, kind=PlaceKind.COMMUNITY).order_by("path"))


def _current_community(request) -> tuple[Place | None, list[Place]]:
    communities = communities_of(request.user)
    wanted = request.GET.get("community") or request.POST.get("community")
    for c in communities:
        if str(c.pk) == wanted:
            return c, communities
    return (communities[0] if communities else None), communities


def _find_resident(user, text: str, field: str = "resident"):
    """One resident in scope from a name, initials or the last 4 ID digits; refuses if none or several."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Name the resident (name, initials or last 4 ID digits)."), field=field)
    parts = text.split()
    qs = registry_selectors.search_residents(user, q=parts[0])
    for extra in parts[1:]:
        qs = qs.filter(Q(name__startswith=extra) | Q(id_last4=extra.upper()))
    found = list(qs[:2])
    if not found:
        raise InvalidInput(_("No resident in your area matches “%(q)s”.") % {"q": text}, field=field)
    if len(found) > 1:
        raise InvalidInput(
            _("Several residents match “%(q)s”; add the last 4 ID digits.") % {"q": text}, field=field
        )
    return found[0]


def _month(value: str | None) -> dt.date:
    try:
        year, month = (value or "").split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _community_url(name: str, community: Place | None, *args) -> str:
    from django.urls import reverse

    url = reverse(name, args=args)
    return f"{url}?community={community.pk}" if community else url


# Proposals -----------------------------------------------------------------------------------------


@deliberation_page
def proposals(request):
    """议题 — the month's proposals ranked by support, and entry of proposals from boxes and groups."""
    user = request.user
    community, communities = _current_community(request)
    period = _month(request.GET.get("period"))
    if request.method == "POST" and community is not None:
        place = None
        place_id = _int(request.POST.get("place"), "place")
        if place_id:
            place = registry_selectors.places_visible_to(user).filter(pk=place_id).first()
        require(user, "deliberation.enter_proposal", place or community)

        def enter():
            author = (
                _find_resident(user, request.POST["author"], "author") if request.POST.get("author") else None
            )
            received = parse_date(request.POST.get("received_on") or "") or None
            proposal_services.submit_proposal(
                actor=user,
                community=community,
                title=request.POST.get("title", ""),
                problem=request.POST.get("problem", ""),
                solution=request.POST.get("solution", ""),
                category=request.POST.get("category", ProposalCategory.OTHER),
                place=place,
                author=author,
                source=request.POST.get("source", ProposalSource.SUGGESTION_BOX),
                source_note=request.POST.get("source_note", ""),
                received_on=received,
            )

        _act(request, enter, _("Proposal entered."))
        return redirect(_community_url("deliberation:proposals", community) + f"&period={period:%Y-%m}")
    status = request.GET.get("status", "")[:14]
    qs = selectors.proposal_list(
        user, community_id=community.pk if community else -1, period=period, status=status, ranked=True
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    places = (
        registry_selectors.places_visible_to(user)
        .filter(community=community, kind__in=[PlaceKind.ESTATE, PlaceKind.BUILDING])
        .order_by("path")
        if community
        else []
    )
    context = {
        "community": community,
        "communities": communities,
        "period": period,
        "page": page,
        "status": status,
        "statuses": ProposalStatus.choices,
        "categories": ProposalCategory.choices,
        "sources": [(v, lbl) for v, lbl in ProposalSource.choices if v in STAFF_SOURCES],
        "places": places,
        "may_enter": community is not None and user.has_perm("deliberation.enter_proposal", community),
    }
    return render(request, _partial(request, "deliberation/proposals.html", "list"), context)


@deliberation_page
def proposal_detail(request, proposal_id: int):
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "review":
            require(user, "deliberation.review_proposal", proposal)
            merged = _int(request.POST.get("merged_into"), "merged_into")
            target = selectors.proposals_visible_to(user).filter(pk=merged).first() if merged else None
            _act(
                request,
                lambda: proposal_services.review_proposal(
                    actor=user,
                    proposal=proposal,
                    decision=request.POST.get("decision", ""),
                    answer=request.POST.get("answer", ""),
                    merged_into=target,
                ),
                _("Answer recorded."),
            )
        elif op == "support":
            require(user, "deliberation.enter_support", proposal)
            _act(
                request,
                lambda: proposal_services.support_proposal(
                    actor=user,
                    proposal=proposal,
                    resident=_find_resident(user, request.POST.get("resident", "")),
                    channel=request.POST.get("channel", ProposalSource.SUGGESTION_BOX),
                ),
                _("Support entered."),
            )
        elif op == "publish":
            require(user, "deliberation.add_publicity", proposal)
            _act(
                request,
                lambda: publicity_services.start_publicity(
                    actor=user,
                    proposal=proposal,
                    body=request.POST.get("body", ""),
                    project_function=request.POST.get("project_function", ""),
                    project_budget_fen=_fen(request.POST.get("budget_yuan")),
                    working_days=_int(request.POST.get("working_days"), "working_days"),
                ),
                _("Publicity started."),
            )
        elif op == "decide":
            require(user, "deliberation.decide_proposal", proposal)
            meeting = selectors.meetings_visible_to(user).filter(
                pk=_int(request.POST.get("meeting"), "meeting")
            )
            _act(
                request,
                lambda: proposal_services.decide_by_meeting(
                    actor=user,
                    proposal=proposal,
                    meeting=meeting.get() if meeting.exists() else None,
                    note=request.POST.get("note", ""),
                ),
                _("Decision recorded."),
            )
        return redirect("deliberation:proposal", proposal_id)
    merge_targets = (
        selectors.proposals_visible_to(user)
        .filter(community_id=proposal.community_id)
        .exclude(pk=proposal.pk)
        .exclude(status__in=[ProposalStatus.MERGED, ProposalStatus.NOT_ACCEPTED])
        .order_by("-created_at")[:50]
    )
    meetings = Meeting.objects.filter(community_id=proposal.community_id, agenda__proposal=proposal).order_by(
        "-starts_at"
    )
    context = {
        "p": proposal,
        "events": proposal.events.select_related("actor"),
        "functions": Function.choices,
        "review_actions": [a for a in workflow.available_actions(proposal) if a in workflow.REVIEW_ACTIONS],
        "may_review": user.has_perm("deliberation.review_proposal", proposal),
        "may_enter": user.has_perm("deliberation.enter_support", proposal),
        "may_publish": user.has_perm("deliberation.add_publicity", proposal)
        and proposal.status == ProposalStatus.DECIDED,
        "may_decide": user.has_perm("deliberation.decide_proposal", proposal)
        and proposal.status == ProposalStatus.ACCEPTED,
        "merge_targets": merge_targets,
        "meetings": meetings,
        "ballots": proposal.ballots.order_by("-created_at"),
        "publicities": proposal.publicities.order_by("-starts_on"),
        "sources": [(v, lbl) for v, lbl in ProposalSource.choices if v in STAFF_SOURCES],
    }
    return render(request, "deliberation/proposal_detail.html", context)


# Meetings ------------------------------------------------------------------------------------------


@deliberation_page
def meetings(request):
    user = request.user
    community, communities = _current_community(request)
    if request.method == "POST" and community is not None:
        require(user, "deliberation.add_meeting", community)
        if request.POST.get("op") == "talk_day":
            _act(
                request,
                lambda: meeting_services.schedule_talk_day(
                    actor=user,
                    community=community,
                    month=_month(request.POST.get("month")),
                    location=request.POST.get("location", ""),
                ),
                _("Talk day scheduled."),
            )
        else:
            starts = parse_datetime(request.POST.get("starts_at") or "")
            steps = [s for s in (request.POST.get("steps") or "").splitlines() if s.strip()]

            def create():
                if starts is None:
                    raise InvalidInput(_("Give the date and time."), field="starts_at")
                meeting_services.create_meeting(
                    actor=user,
                    community=community,
                    kind=request.POST.get("kind", MeetingKind.COUNCIL),
                    title=request.POST.get("title", ""),
                    starts_at=timezone.make_aware(starts) if timezone.is_naive(starts) else starts,
                    location=request.POST.get("location", ""),
                    procedure=request.POST.get("procedure") or None,
                    steps=steps or None,
                )

            _act(request, create, _("Meeting created."))
        return redirect(_community_url("deliberation:meetings", community))
    qs = (
        selectors.meetings_visible_to(user)
        .filter(community=community)
        .annotate(attendance_count=Count("attendance"))
        .order_by("-starts_at", "-id")
    )
    templates = [(k, name) for k, (name, _steps) in procedures.TEMPLATES.items()]
    if community:
        templates += list(community_templates(community))
    context = {
        "community": community,
        "communities": communities,
        "page": Paginator(qs, PER_PAGE).get_page(request.GET.get("page")),
        "kinds": MeetingKind.choices,
        "templates": templates,
        "this_month": timezone.localdate().strftime("%Y-%m"),
        "may_add": community is not None and user.has_perm("deliberation.add_meeting", community),
    }
    return render(request, "deliberation/meetings.html", context)


def community_templates(community):
    from .models import ProcedureTemplate

    return ProcedureTemplate.objects.filter(community=community).order_by("key").values_list("key", "name")


def _meeting_context(user, meeting: Meeting) -> dict:
    attendance = (
        meeting.attendance.order_by("signed_in_at", "id")
        if user.has_perm("deliberation.view_attendance", meeting)
        else None
    )
    signed = set(meeting.attendance.exclude(invitation=None).values_list("invitation_id", flat=True))
    return {
        "m": meeting,
        "agenda": meeting.agenda.select_related("proposal"),
        "steps": meeting.steps.all(),
        "invitations": meeting.invitations.all(),
        "attendance": attendance,
        "signed_invitations": signed,
        "may_change": user.has_perm("deliberation.change_meeting", meeting),
        "may_sign_in": user.has_perm("deliberation.sign_in_meeting", meeting),
        "invitation_kinds": InvitationKind.choices,
        "open_proposals": selectors.proposal_list(
            user, community_id=meeting.community_id, ranked=True
        ).filter(status__in=[ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED])[:30],
        "this_month": timezone.localdate().strftime("%Y-%m"),
    }


@deliberation_page
def meeting_detail(request, meeting_id: int):
    """会议 — run a meeting live: agenda, invitations, sign-in, procedure steps, minutes."""
    user = request.user
    meeting = selectors.access_meeting(user, meeting_id)
    if request.method == "POST":
        op = request.POST.get("op")
        fragment = "live"
        if op == "sign_in":
            require(user, "deliberation.sign_in_meeting", meeting)

            def sign():
                invitation_id = _int(request.POST.get("invitation"), "invitation")
                if invitation_id:
                    invitation = meeting.invitations.filter(pk=invitation_id).first()
                    meeting_services.sign_in(actor=user, meeting=meeting, invitation=invitation)
                else:
                    resident = _find_resident(user, request.POST.get("resident", ""))
                    meeting_services.sign_in(actor=user, meeting=meeting, resident=resident)

            _act(request, sign, _("Signed in."))
        else:
            require(user, "deliberation.change_meeting", meeting)
            fragment = "page"
            if op == "step":
                step = meeting.steps.filter(pk=_int(request.POST.get("step"), "step")).first()
                fragment = "live"
                _act(
                    request,
                    lambda: meeting_services.complete_step(
                        actor=user, step=_must(step), note=request.POST.get("note", "")
                    ),
                    _("Step done."),
                )
            elif op == "agenda":
                proposal_id = _int(request.POST.get("proposal"), "proposal")
                proposal = (
                    selectors.proposals_visible_to(user).filter(pk=proposal_id).first()
                    if proposal_id
                    else None
                )
                _act(
                    request,
                    lambda: meeting_services.add_agenda_item(
                        actor=user, meeting=meeting, title=request.POST.get("title", ""), proposal=proposal
                    ),
                    _("Agenda item added."),
                )
            elif op == "top":
                _act(
                    request,
                    lambda: meeting_services.add_top_proposals(
                        actor=user,
                        meeting=meeting,
                        period=_month(request.POST.get("period")),
                        limit=_int(request.POST.get("limit"), "limit") or 3,
                    ),
                    _("Top proposals added."),
                )
            elif op == "invite":
                _act(request, lambda: _invite(user, meeting, request.POST), _("Invited."))
            elif op == "minutes":
                _act(
                    request,
                    lambda: meeting_services.record_minutes(
                        actor=user, meeting=meeting, minutes=request.POST.get("minutes", "")
                    ),
                    _("Minutes saved."),
                )
            elif op == "start":
                _act(
                    request,
                    lambda: meeting_services.start_meeting(actor=user, meeting=meeting),
                    _("Meeting started."),
                )
            elif op == "close":
                _act(
                    request,
                    lambda: meeting_services.close_meeting(actor=user, meeting=meeting),
                    _("Meeting closed."),
                )
        if request.htmx and fragment == "live":
            meeting = selectors.access_meeting(user, meeting_id)
            return render(request, "deliberation/meeting_detail.html#live", _meeting_context(user, meeting))
        return redirect("deliberation:meeting", meeting_id)
    return render(request, "deliberation/meeting_detail.html", _meeting_context(user, meeting))


def _invite(user, meeting, data):
    from gongzhi.accounts.models import Department
    from gongzhi.registry.models import ResidentUnit

    kind = data.get("kind", "")
    department = (
        Department.objects.filter(pk=_int(data.get("department"), "department")).first()
        if data.get("department")
        else None
    )
    unit = (
        ResidentUnit.objects.filter(pk=_int(data.get("resident_unit"), "resident_unit")).first()
        if data.get("resident_unit")
        else None
    )
    return meeting_services.invite(
        actor=user,
        meeting=meeting,
        kind=kind,
        department=department,
        resident_unit=unit,
        name=data.get("name", ""),
        note=data.get("note", ""),
    )


# Ballots -------------------------------------------------------------------------------------------


@deliberation_page
def ballots(request):
    user = request.user
    community, communities = _current_community(request)
    if request.method == "POST" and community is not None:
        require(user, "deliberation.add_ballot", community)

        def create():
            ids = [_int(v, "electorate") for v in request.POST.getlist("electorate")]
            electorate = list(Place.objects.filter(pk__in=ids, community=community))
            proposal_id = _int(request.POST.get("proposal"), "proposal")
            proposal = (
                selectors.proposals_visible_to(user).filter(pk=proposal_id).first() if proposal_id else None
            )
            opens = parse_datetime(request.POST.get("opens_at") or "")
            closes = parse_datetime(request.POST.get("closes_at") or "")

            def aware(value):
                return timezone.make_aware(value) if value and timezone.is_naive(value) else value

            return ballot_services.create_ballot(
                actor=user,
                community=community,
                title=request.POST.get("title", ""),
                question=request.POST.get("question", ""),
                rule=request.POST.get("rule", ""),
                matter=request.POST.get("matter", MatterKind.ORDINARY),
                mode=request.POST.get("mode", BallotMode.SECRET),
                electorate=electorate,
                proposal=proposal,
                opens_at=aware(opens),
                closes_at=aware(closes),
            )

        _act(request, create, _("Ballot drafted. Check it, then open it."))
        return redirect(_community_url("deliberation:ballots", community))
    qs = selectors.ballots_visible_to(user).filter(community=community).order_by("-created_at", "-id")
    places = (
        Place.objects.filter(community=community).exclude(kind=PlaceKind.GRID).order_by("path")
        if community
        else []
    )
    proposals_ = (
        selectors.proposals_visible_to(user)
        .filter(community=community, status=ProposalStatus.ACCEPTED)
        .order_by("-created_at")[:50]
        if community
        else []
    )
    context = {
        "community": community,
        "communities": communities,
        "page": Paginator(qs, PER_PAGE).get_page(request.GET.get("page")),
        "rules": BallotRule.choices,
        "matters": MatterKind.choices,
        "modes": BallotMode.choices,
        "places": places,
        "proposals": proposals_,
        "may_add": community is not None and user.has_perm("deliberation.add_ballot", community),
    }
    return render(request, "deliberation/ballots.html", context)


@deliberation_page
def ballot_detail(request, ballot_id: int):
    user = request.user
    ballot = selectors.access_ballot(user, ballot_id)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "record":
            require(user, "deliberation.record_vote", ballot)
            _act(
                request,
                lambda: ballot_services.record_vote(
                    actor=user,
                    ballot=ballot,
                    resident=_find_resident(user, request.POST.get("resident", "")),
                    choice=request.POST.get("choice", ""),
                    channel=request.POST.get("channel", Channel.MEETING),
                ),
                _("Vote recorded."),
            )
        else:
            require(user, "deliberation.change_ballot", ballot)
            service = {
                "open": ballot_services.open_ballot,
                "close": ballot_services.close_ballot,
                "cancel": ballot_services.cancel_ballot,
            }.get(op)
            if service is not None:
                _act(request, lambda: service(actor=user, ballot=ballot), _("Done."))
        return redirect("deliberation:ballot", ballot_id)
    result = selectors.ballot_tally(ballot) if ballot.status == BallotStatus.CLOSED else None
    turnout = selectors.turnout(ballot) if ballot.status != BallotStatus.DRAFT else None
    named = None
    if (
        not ballot.is_secret
        and ballot.status != BallotStatus.DRAFT
        and user.has_perm("deliberation.view_named_votes", ballot)
    ):
        named = selectors.open_ballot_votes(ballot)
    quorum, approval = selectors.thresholds_of(ballot)
    context = {
        "b": ballot,
        "result": result,
        "turnout": turnout,
        "named": named,
        "quorum": quorum,
        "approval": approval,
        "choices": Choice.choices,
        "channels": [(Channel.MEETING, Channel.MEETING.label), (Channel.PAPER, Channel.PAPER.label)],
        "may_change": user.has_perm("deliberation.change_ballot", ballot),
        "may_record": user.has_perm("deliberation.record_vote", ballot),
    }
    if result is not None:
        context["ratios"] = {
            "participation": result.participating.ratio_of(result.eligible),
            "approval": result.yes.ratio_of(result.participating),
        }
    return render(request, "deliberation/ballot_detail.html", context)


# Publicity -----------------------------------------------------------------------------------------


@deliberation_page
@require_GET
def publicities(request):
    community, communities = _current_community(request)
    qs = (
        selectors.publicities_visible_to(request.user)
        .filter(community=community)
        .annotate(pending=Count("objections", filter=Q(objections__status="pending")))
        .order_by("-starts_on", "-id")
    )
    return render(
        request,
        "deliberation/publicities.html",
        {
            "community": community,
            "communities": communities,
            "page": Paginator(qs, PER_PAGE).get_page(request.GET.get("page")),
            "today": timezone.localdate(),
        },
    )


@deliberation_page
def publicity_detail(request, publicity_id: int):
    user = request.user
    pub = selectors.access_publicity(user, publicity_id)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "answer":
            require(user, "deliberation.answer_objection", pub)
            objection = pub.objections.filter(pk=_int(request.POST.get("objection"), "objection")).first()
            if objection is None:
                raise Http404
            _act(
                request,
                lambda: publicity_services.answer_objection(
                    actor=user,
                    objection=objection,
                    uphold=request.POST.get("uphold") == "1",
                    answer=request.POST.get("answer", ""),
                ),
                _("Answer recorded."),
            )
        elif op == "object":
            require(user, "deliberation.enter_objection", pub)
            _act(
                request,
                lambda: publicity_services.object_to_publicity(
                    actor=user,
                    publicity=pub,
                    text=request.POST.get("text", ""),
                    resident=_find_resident(user, request.POST["resident"])
                    if request.POST.get("resident")
                    else None,
                ),
                _("Objection recorded."),
            )
        elif op == "close":
            require(user, "deliberation.close_publicity", pub)
            _act(
                request,
                lambda: publicity_services.close_publicity(actor=user, publicity=pub),
                _("Publicity closed; the project is created."),
            )
        return redirect("deliberation:publicity", publicity_id)
    return render(
        request,
        "deliberation/publicity_detail.html",
        {
            "pub": pub,
            "objections": pub.objections.select_related("resident"),
            "may_answer": user.has_perm("deliberation.answer_objection", pub),
            "may_enter": user.has_perm("deliberation.enter_objection", pub),
            "may_close": user.has_perm("deliberation.close_publicity", pub),
            "today": timezone.localdate(),
        },
    )


# Projects ------------------------------------------------------------------------------------------


@deliberation_page
@require_GET
def projects(request):
    community, communities = _current_community(request)
    qs = (
        selectors.projects_visible_to(request.user)
        .filter(community=community)
        .prefetch_related("milestones")
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"p": p, "progress": selectors.project_progress(p)} for p in page.object_list]
    return render(
        request,
        "deliberation/projects.html",
        {"community": community, "communities": communities, "page": page, "rows": rows},
    )


@deliberation_page
def project_detail(request, project_id: int):
    user = request.user
    project = selectors.access_project(user, project_id)
    if request.method == "POST":
        require(user, "deliberation.change_project", project)
        op = request.POST.get("op")
        if op == "milestone":
            _act(
                request,
                lambda: project_services.add_milestone(
                    actor=user,
                    project=project,
                    title=request.POST.get("title", ""),
                    weight=_int(request.POST.get("weight"), "weight") or 1,
                    due_on=parse_date(request.POST.get("due_on") or ""),
                ),
                _("Milestone added."),
            )
        elif op == "milestone_done":
            milestone = project.milestones.filter(pk=_int(request.POST.get("milestone"), "milestone")).first()
            _act(
                request,
                lambda: project_services.complete_milestone(actor=user, milestone=_must(milestone)),
                _("Milestone done."),
            )
        elif op == "update":
            _act(
                request,
                lambda: project_services.post_update(
                    actor=user, project=project, text=request.POST.get("text", "")
                ),
                _("Update posted."),
            )
        elif op in ("start", "complete"):
            service = project_services.start_project if op == "start" else project_services.complete_project
            _act(request, lambda: service(actor=user, project=project), _("Done."))
        elif op == "award":
            _act(
                request,
                lambda: project_services.award_project(
                    actor=user,
                    project=project,
                    award=request.POST.get("award", ""),
                    note=request.POST.get("note", ""),
                ),
                _("Award recorded."),
            )
        return redirect("deliberation:project", project_id)
    count, average = selectors.project_rating(project)
    return render(
        request,
        "deliberation/project_detail.html",
        {
            "p": project,
            "progress": selectors.project_progress(project),
            "rating_count": count,
            "rating_average": average,
            "awards": Award.choices,
            "may_change": user.has_perm("deliberation.change_project", project),
            "followers": project.follows.count(),
        },
    )


# Pacts ---------------------------------------------------------------------------------------------


@deliberation_page
def charters(request):
    user = request.user
    community, communities = _current_community(request)
    if request.method == "POST" and community is not None:
        require(user, "deliberation.add_charter", community)
        _act(
            request,
            lambda: charter_services.create_charter(
                actor=user,
                community=community,
                kind=request.POST.get("kind", CharterKind.PACT),
                title=request.POST.get("title", ""),
            ),
            _("Pact created."),
        )
        return redirect(_community_url("deliberation:charters", community))
    qs = selectors.charters_visible_to(user).filter(community=community).prefetch_related("versions")
    return render(
        request,
        "deliberation/charters.html",
        {
            "community": community,
            "communities": communities,
            "charters": qs,
            "kinds": CharterKind.choices,
            "may_add": community is not None and user.has_perm("deliberation.add_charter", community),
        },
    )


@deliberation_page
def charter_detail(request, charter_id: int):
    user = request.user
    charter = selectors.access_charter(user, charter_id)
    if request.method == "POST":
        require(user, "deliberation.change_charter", charter)
        op = request.POST.get("op")
        version = charter.versions.filter(pk=_int(request.POST.get("version"), "version")).first()
        if op == "draft":
            _act(
                request,
                lambda: charter_services.draft_charter_version(
                    actor=user, charter=charter, body=request.POST.get("body", "")
                ),
                _("Draft saved."),
            )
        elif op == "file" and version is not None:
            _act(
                request,
                lambda: charter_services.file_charter_version(
                    actor=user,
                    version=version,
                    filed_with=request.POST.get("filed_with", ""),
                    filed_on=parse_date(request.POST.get("filed_on") or ""),
                    filing_ref=request.POST.get("filing_ref", ""),
                ),
                _("Filing recorded."),
            )
        elif op == "ballot" and version is not None:
            require(user, "deliberation.add_ballot", charter.community)
            _act(
                request,
                lambda: ballot_services.create_ballot(
                    actor=user,
                    community=charter.community,
                    title=f"{charter.title} v{version.number}",
                    question=_("Adopt this text?"),
                    rule=request.POST.get("rule", BallotRule.PER_HOUSEHOLD),
                    electorate=[charter.community],
                    charter_version=version,
                ),
                _("Ballot drafted."),
            )
        return redirect("deliberation:charter", charter_id)
    versions = selectors.charter_versions_visible_to(user, charter).prefetch_related("ballots")
    return render(
        request,
        "deliberation/charter_detail.html",
        {
            "c": charter,
            "versions": versions,
            "rules": [
                (BallotRule.PER_HOUSEHOLD, BallotRule.PER_HOUSEHOLD.label),
                (BallotRule.PER_RESIDENT, BallotRule.PER_RESIDENT.label),
            ],
            "may_change": user.has_perm("deliberation.change_charter", charter),
        },
    )
