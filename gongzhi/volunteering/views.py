"""Staff console pages for volunteering, the time bank and micro-wishes (/console/volunteering/)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.core.errors import InvalidInput
from gongzhi.core.permissions import require
from gongzhi.ledger.pages import back, chosen_community, domain_page, int_or_none
from gongzhi.registry.selectors import residents_visible_to

from . import certificates, selectors, services
from .enums import (
    VOLUNTEERING_READ_ROLES,
    VOLUNTEERING_STAFF_ROLES,
    RecordStatus,
    RequestStatus,
    TeamKind,
    WishCategory,
)
from .models import Team, Volunteer


def _datetime(value: str, field: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Enter a date and time."), field=field) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def home(request):
    """Hours to confirm, requests to match, activities and teams of one community."""
    community, communities = chosen_community(request, VOLUNTEERING_STAFF_ROLES)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("confirm", "reject"):
            record = selectors.access_record(request.user, int_or_none(request.POST.get("record")) or 0)
            perm = "volunteering.confirm_request_record" if record.served_id else \
                "volunteering.confirm_activity_record"
            require(request.user, perm, record)
            if action == "confirm":
                services.confirm_record(record=record, actor=request.user)
                messages.success(request, _("Confirmed; the time coins were paid."))
            else:
                services.reject_record(record=record, actor=request.user, note=request.POST.get("note", ""))
        elif action == "match":
            service_request = selectors.access_request(request.user, int_or_none(request.POST.get("request")) or 0)
            require(request.user, "volunteering.match_request", service_request)
            volunteer = Volunteer.objects.filter(pk=int_or_none(request.POST.get("volunteer")) or 0).first()
            if volunteer is None:
                raise InvalidInput(_("Choose a volunteer."), field="volunteer")
            services.match_request(request=service_request, volunteer=volunteer, actor=request.user)
        elif action == "activity":
            require(request.user, "volunteering.manage_activity", community)
            team = Team.objects.filter(community=community, pk=int_or_none(request.POST.get("team")) or 0).first()
            services.create_activity(community=community, actor=request.user, team=team,
                                     title=request.POST.get("title", ""),
                                     starts_at=_datetime(request.POST.get("starts_at"), "starts_at"),
                                     ends_at=_datetime(request.POST.get("ends_at"), "ends_at"),
                                     capacity=int_or_none(request.POST.get("capacity")) or 1,
                                     location=request.POST.get("location", ""))
        elif action == "team":
            require(request.user, "volunteering.manage_team", community)
            services.create_team(community=community, actor=request.user, kind=request.POST.get("kind", ""),
                                 name=request.POST.get("name", ""))
        return back(request)
    pending = (selectors.records_visible_to(request.user).filter(community=community, status=RecordStatus.PENDING)
               .order_by("served_on", "id")[:100])
    open_requests = (selectors.requests_visible_to(request.user)
                     .filter(community=community, status=RequestStatus.OPEN).order_by("created_at")[:100])
    return render(request, "volunteering/home.html", {
        "community": community, "communities": communities, "pending": pending, "open_requests": open_requests,
        "volunteers": selectors.volunteers_visible_to(request.user).filter(community=community, is_active=True)
        .order_by("resident__name")[:500],
        "activities": selectors.activities_visible_to(request.user).filter(community=community)[:30],
        "teams": selectors.teams_visible_to(request.user).filter(community=community).order_by("kind", "name"),
        "team_kinds": TeamKind.choices,
        "can_manage": request.user.has_perm("volunteering.manage_activity", community),
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def wishes(request):
    """微心愿 — the community's wishes; staff post one for a resident without a phone."""
    community, communities = chosen_community(request, VOLUNTEERING_READ_ROLES)
    if request.method == "POST":
        resident = residents_visible_to(request.user).filter(
            community=community, pk=int_or_none(request.POST.get("beneficiary")) or 0).first()
        if resident is None:
            raise InvalidInput(_("Choose a resident of this community."), field="beneficiary")
        require(request.user, "volunteering.post_wish_for", resident)
        services.post_wish(beneficiary=resident, actor=request.user, title=request.POST.get("title", ""),
                           description=request.POST.get("description", ""),
                           category=request.POST.get("category") or WishCategory.GOODS)
        messages.success(request, _("The wish is on the board."))
        return back(request)
    rows = selectors.wishes_visible_to(request.user).filter(community=community).order_by("status", "-created_at")
    return render(request, "volunteering/wishes.html", {
        "community": community, "communities": communities, "wishes": rows[:300], "categories": WishCategory.choices,
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def certificate(request, volunteer_id: int):
    """志愿服务时长证明 — printable; POST issues the numbered, verifiable PDF and opens it."""
    volunteer = selectors.access_volunteer(request.user, volunteer_id)
    if volunteer.resident_id != request.user.resident_id:
        require(request.user, "volunteering.view_certificate", volunteer)
    if request.method == "POST":
        issued = certificates.issue_hours_certificate(volunteer=volunteer, actor=request.user,
                                                      year=int_or_none(request.POST.get("year")))
        return redirect(reverse("api:volunteering_hours_certificate_pdf", args=[issued.pk]))
    year = int_or_none(request.GET.get("year"))
    return render(request, "volunteering/certificate.html", {
        "c": selectors.certificate(volunteer, year=year), "today": timezone.localdate()})
